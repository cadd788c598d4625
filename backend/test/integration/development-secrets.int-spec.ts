import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { postSimulatorWebhook, simulatorEvent } from '../support/provider-webhooks';
import {
  createOrganization,
  loginAs,
  request,
  RunningApi,
  startApi,
  TestUser,
} from '../support/test-app';

// The values main used to fall back on when JWT_SECRET / SIMULATOR_WEBHOOK_SECRET were unset:
// public, so anyone could sign with them.
const OLD_JWT_SECRET = 'switchboard-development-only-jwt-secret-not-for-production';
const OLD_SIMULATOR_SECRET = `whsec_${Buffer.from('switchboard-simulator-development-secret').toString('base64')}`;

describe('a development api with no secrets set', () => {
  let directory: string;
  let api: RunningApi;
  let users: Record<UserRole, TestUser>;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'switchboard-secrets-'));
    // '' unsets what global-setup put in the environment, as on a fresh `npm start`.
    api = await startApi({
      NODE_ENV: 'development',
      JWT_SECRET: '',
      SIMULATOR_WEBHOOK_SECRET: '',
      SECRETS_FILE: join(directory, '.switchboard-secrets.json'),
    });
    users = (await createOrganization(api.dataSource)).users;
  });
  afterAll(async () => {
    await api.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses a token signed with the secret that used to be written in the source', async () => {
    const forged = await new JwtService({ secret: OLD_JWT_SECRET }).signAsync({
      sub: users.owner.id,
      org: users.owner.organizationId,
      role: 'owner',
    });
    const me = await request(api.baseUrl, 'GET', '/api/auth/me', { token: forged });
    expect(me.status).toBe(401);

    const token = await loginAs(api.baseUrl, users.owner);
    const real = await request(api.baseUrl, 'GET', '/api/auth/me', { token });
    expect(real.status).toBe(200);
  });

  it('refuses a simulator webhook signed with the old public secret, accepts the generated one', async () => {
    const old = await postSimulatorWebhook(api.baseUrl, simulatorEvent('sim_nobody', 'ringing'), {
      secret: OLD_SIMULATOR_SECRET,
    });
    expect([401, 403]).toContain(old.status);

    const generated = JSON.parse(
      readFileSync(join(directory, '.switchboard-secrets.json'), 'utf8'),
    ) as { SIMULATOR_WEBHOOK_SECRET: string };
    const signed = await postSimulatorWebhook(
      api.baseUrl,
      simulatorEvent('sim_nobody', 'ringing'),
      {
        secret: generated.SIMULATOR_WEBHOOK_SECRET,
      },
    );
    expect(signed.status).toBeLessThan(300);
  });
});
