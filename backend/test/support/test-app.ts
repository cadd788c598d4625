import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../src/bootstrap-api';
import { loadConfig } from '../../src/config/app-config';
import { Organization } from '../../src/modules/auth/entities/organization.entity';
import { User, UserRole } from '../../src/modules/auth/entities/user.entity';
import { hashPassword } from '../../src/modules/auth/password';
import { LedgerService } from '../../src/modules/wallet/ledger.service';

export interface RunningApi {
  app: NestFastifyApplication;
  baseUrl: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Starts the real api (same bootstrap as main.ts) on a free loopback port. `beforeListen` sees the
 * configured app before it initializes (e.g. to record its routes with `recordRoutes`).
 */
export async function startApi(
  env: Record<string, string> = {},
  port = 0,
  options: { beforeListen?: (app: NestFastifyApplication) => void } = {},
): Promise<RunningApi> {
  // Suites place calls side by side as one user; the one-live-call rule has its own test.
  const config = loadConfig({ ONE_LIVE_CALL_PER_AGENT: 'off', ...process.env, ...env });
  const app = await createApiApp(config);
  options.beforeListen?.(app);
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const listening = typeof address === 'object' && address ? address.port : port;
  return {
    app,
    baseUrl: `http://127.0.0.1:${listening}`,
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: UserRole;
  organizationId: string;
}

let passwordHash: Promise<string> | undefined;
const TEST_PASSWORD = 'correct-horse-battery';

/** An organization with one user per role given, unique emails so tests never collide. */
export async function createOrganization(
  dataSource: DataSource,
  roles: UserRole[] = ['owner', 'admin', 'agent'],
  options: { fundMicros?: bigint } = {},
): Promise<{ organization: Organization; users: Record<UserRole, TestUser> }> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const organization = await dataSource
    .getRepository(Organization)
    .save({ name: `Org ${randomUUID().slice(0, 8)}`, defaultCountry: 'US', currency: 'USD' });
  const users = {} as Record<UserRole, TestUser>;
  for (const role of roles) {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const user = await dataSource.getRepository(User).save({
      organizationId: organization.id,
      email,
      name: `${role} user`,
      role,
      passwordHash: await passwordHash,
    });
    users[role] = {
      id: user.id,
      email,
      password: TEST_PASSWORD,
      role,
      organizationId: organization.id,
    };
  }
  await fundWallet(dataSource, organization.id, options.fundMicros ?? 100_000_000n);
  return { organization, users };
}

/** A platform operator (no organization), with a unique email. */
export async function createOperator(dataSource: DataSource): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = `operator-${randomUUID().slice(0, 8)}@example.test`;
  const user = await dataSource.getRepository(User).save({
    organizationId: null,
    email,
    name: 'operator user',
    role: 'operator',
    passwordHash: await passwordHash,
  });
  return { id: user.id, email, password: TEST_PASSWORD, role: 'operator', organizationId: '' };
}

/** Credits an organization's wallet through the real ledger (a top-up transaction). */
export async function fundWallet(
  dataSource: DataSource,
  organizationId: string,
  micros: bigint,
): Promise<void> {
  if (micros <= 0n) return;
  await dataSource.transaction(async (manager) => {
    const ledger = new LedgerService();
    const wallet = await ledger.ensureWallet(manager, organizationId);
    const funding = await ledger.platformAccount(manager, 'topup_funding');
    await ledger.post(manager, {
      organizationId,
      kind: 'topup',
      idempotencyKey: `topup:${organizationId}:test-${randomUUID()}`,
      legs: [
        { accountId: funding, amountMicros: -micros },
        { accountId: wallet.walletAccountId, amountMicros: micros },
      ],
    });
  });
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON HTTP client over real sockets. */
export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics, HTML)
  }
  return { status: response.status, body, headers: response.headers };
}

export async function loginAs(
  baseUrl: string,
  user: Pick<TestUser, 'email' | 'password'>,
): Promise<string> {
  const response = await request<{ accessToken: string }>(baseUrl, 'POST', '/api/auth/login', {
    body: { email: user.email, password: user.password },
  });
  if (response.status !== 200)
    throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.accessToken;
}
