import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

import { DEFAULT_SECRETS_FILE, localSecrets } from './local-secrets';

/** The hot-path optimizations HOT_PATH_SIMPLE can turn into their simpler form. */
export const HOT_PATH_PIECES = ['literals', 'callHint', 'commitWrites'] as const;
export type HotPathPiece = (typeof HOT_PATH_PIECES)[number];

const isProduction = (config: AppConfig) => config.NODE_ENV === 'production';

/**
 * Every environment variable Switchboard reads, validated once at boot.
 * A missing or malformed variable stops the process with a message naming it.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface the api listens on: loopback unless told otherwise (containers set 0.0.0.0). */
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/switchboard';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Prefix of every Redis key (queues, rate limits), so several deployments or test runs can share one
   * Redis. On Redis Cluster, a hash tag (`{sb}`) keeps every key of a BullMQ queue in one slot.
   */
  @Matches(/^(\{[A-Za-z0-9_-]+\})?[A-Za-z0-9_-]*$/, {
    message:
      'REDIS_PREFIX may contain only letters, digits, _ and -, optionally after a hash tag: {sb}',
  })
  REDIS_PREFIX = 'sb';

  /**
   * The public URL providers call; webhook signatures are checked against it. Outside production
   * it defaults to this machine's api (`http://localhost:PORT`), where the simulator delivers its
   * webhooks; in production every api node and worker must name the same one.
   */
  @ValidateIf((config: AppConfig) => isProduction(config) || config.PUBLIC_BASE_URL !== undefined)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'PUBLIC_BASE_URL must be an http(s) URL (required in production)' },
  )
  PUBLIC_BASE_URL!: string;

  @ValidateIf(isProduction)
  @IsString({ message: 'JWT_SECRET is required in production' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Matches(/^\d+[smhd]$/, { message: 'JWT_EXPIRES_IN must look like 12h, 30m or 7d' })
  JWT_EXPIRES_IN = '12h';

  /** Comma-separated origins allowed to call the API from a browser (besides the console served by the api itself). */
  @IsString()
  CORS_ORIGINS = 'http://localhost:4200';

  /** Set to true behind a load balancer so the client IP (rate limits, logs) comes from X-Forwarded-For. */
  @IsIn(['true', 'false'], { message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY: 'true' | 'false' = 'false';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /** Where the built console lives; the api serves it at `/` when the folder exists. */
  @IsOptional()
  @IsString()
  CONSOLE_DIST_DIR?: string;

  // Providers: a provider whose settings are absent is disabled.
  @IsOptional() @IsString() TWILIO_ACCOUNT_SID?: string;
  @IsOptional() @IsString() TWILIO_AUTH_TOKEN?: string;
  @IsOptional() @IsString() TWILIO_API_KEY_SID?: string;
  @IsOptional() @IsString() TWILIO_API_KEY_SECRET?: string;
  @IsOptional() @IsString() TWILIO_TWIML_APP_SID?: string;
  /** Verified number browser calls show when the browser names none. */
  @IsOptional() @IsString() TWILIO_CALLER_ID?: string;
  @IsOptional() @IsString() EXOTEL_ACCOUNT_SID?: string;
  @IsOptional() @IsString() EXOTEL_API_KEY?: string;
  @IsOptional() @IsString() EXOTEL_API_TOKEN?: string;
  @IsOptional() @IsString() EXOTEL_SUBDOMAIN?: string;
  @IsOptional() @IsString() EXOTEL_CALLER_ID?: string;
  @IsOptional() @IsString() EXOTEL_WEBHOOK_TOKEN?: string;
  @IsOptional() @IsString() BOLNA_API_KEY?: string;
  @IsOptional() @IsString() BOLNA_AGENT_ID?: string;
  @IsOptional() @IsString() BOLNA_WEBHOOK_SECRET?: string;
  /** Standard Webhooks secret (`whsec_` + base64) of the simulator provider; required in production. */
  @ValidateIf(isProduction)
  @Matches(/^whsec_[A-Za-z0-9+/=]{16,}$/, {
    message: 'SIMULATOR_WEBHOOK_SECRET must look like whsec_<base64>',
  })
  SIMULATOR_WEBHOOK_SECRET?: string;

  /**
   * The platform operator created at the api's start when no user has this email (production; in
   * development `npm run seed` creates operator@demo.test). Without PLATFORM_OPERATOR_PASSWORD the
   * operator chooses it with a one-time setup link printed in the api's log. See docs/platform.md.
   */
  @IsOptional()
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'PLATFORM_OPERATOR_EMAIL must be an email address' })
  PLATFORM_OPERATOR_EMAIL?: string;

  @IsOptional()
  @IsString({ message: 'PLATFORM_OPERATOR_PASSWORD must be a string' })
  @MinLength(12, { message: 'PLATFORM_OPERATOR_PASSWORD must have at least 12 characters' })
  PLATFORM_OPERATOR_PASSWORD?: string;

  /** Stripe: top-ups are Stripe Checkout payments when the secret key is set. */
  @IsOptional() @IsString() STRIPE_SECRET_KEY?: string;
  /** Signing secret of the Stripe webhook endpoint (`whsec_…`); required with STRIPE_SECRET_KEY. */
  @ValidateIf((config: AppConfig) => config.STRIPE_SECRET_KEY !== undefined)
  @IsString({ message: 'STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY' })
  STRIPE_WEBHOOK_SECRET?: string;
  /** Overrides Stripe's API host (tests point it at a local stub). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  STRIPE_API_BASE_URL?: string;

  /**
   * The simulated payment provider (a Pay button, no money): on outside production, off in
   * production unless set to true (a demo deployment).
   */
  @IsOptional()
  @IsIn(['true', 'false'])
  PAYMENT_SIMULATOR_ENABLED?: 'true' | 'false';

  /**
   * Outside production, where unset JWT_SECRET and SIMULATOR_WEBHOOK_SECRET are generated once per
   * installation and kept (git-ignored, mode 0600) so that every local process agrees on them.
   */
  @IsString()
  SECRETS_FILE = DEFAULT_SECRETS_FILE;

  /** Multiplies the simulator's delays (0.05 makes a one-minute call last three seconds). */
  @Matches(/^\d+(\.\d+)?$/, {
    message: 'SIMULATOR_TIME_SCALE must be a positive number such as 1 or 0.05',
  })
  SIMULATOR_TIME_SCALE = '1';

  /**
   * `enforce`: every call obeys the default calling hours of the callee's country
   * (docs/calling-hours.md); `off` disables them (tests that run at any hour, private demos).
   */
  @IsIn(['enforce', 'off'], { message: 'CALLING_HOURS must be enforce or off' })
  CALLING_HOURS: 'enforce' | 'off' = 'enforce';

  /**
   * `on`: an agent with a live call cannot place another through `POST /api/calls` (409 naming
   * the live call); `off` lets one user place calls side by side (load tests, scripted demos).
   */
  @IsIn(['on', 'off'], { message: 'ONE_LIVE_CALL_PER_AGENT must be on or off' })
  ONE_LIVE_CALL_PER_AGENT: 'on' | 'off' = 'on';

  /** How often a running campaign's scheduler job runs, in milliseconds. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  CAMPAIGN_TICK_MS = 1000;

  /** Longest call Switchboard allows when nothing else limits it, in seconds. */
  @IsInt()
  @Min(1)
  MAX_CALL_SECONDS = 3600;

  /** Webhook jobs a worker process holds at once; those held together are processed as one batch. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_WORKER_CONCURRENCY = 100;

  /**
   * Comma list of hot-path optimizations to replace by their simpler form, for A/B benchmarks
   * (bench/ab.mjs; docs/benchmarks.md): `literals` (no `EXECUTE` with quoted literals: every
   * statement a parameterized prepared statement of its own), `callHint` (the ingress puts no
   * call keys in the job and the worker looks the calls up after parsing the events),
   * `commitWrites` (the batch's writes in their own round trip, then COMMIT). Empty: all kept.
   */
  @Matches(new RegExp(`^(${HOT_PATH_PIECES.join('|')})(,(${HOT_PATH_PIECES.join('|')}))*$`), {
    message: `HOT_PATH_SIMPLE must be a comma list of ${HOT_PATH_PIECES.join(', ')} (or empty)`,
  })
  @IsOptional()
  HOT_PATH_SIMPLE?: string;

  /** Attempts per queued job (webhook processing, simulator deliveries) before it is a dead letter. */
  @IsInt()
  @Min(1)
  @Max(50)
  JOB_ATTEMPTS = 8;

  /** First retry delay in ms; it doubles with every attempt. */
  @IsInt()
  @Min(1)
  JOB_RETRY_DELAY_MS = 1000;

  /** A call left non-terminal this long is checked with its provider (reconciliation). */
  @IsInt()
  @Min(10)
  RECONCILE_AFTER_SECONDS = 900;

  /** Where the worker stores copies of call recordings (local disk; relative to the working directory). */
  @IsString()
  @MinLength(1)
  RECORDINGS_DIR = './data/recordings';

  /** Attempts to copy a recording from its provider before it is marked failed. */
  @IsInt()
  @Min(1)
  @Max(30)
  RECORDING_COPY_ATTEMPTS = 8;

  /** First retry delay of a recording copy in ms; it doubles with every attempt (8 attempts ≈ 4 min). */
  @IsInt()
  @Min(1)
  RECORDING_RETRY_DELAY_MS = 2000;

  /**
   * Stored recordings older than this many days (since they were copied) are deleted by the
   * worker's hourly retention job and marked expired; 0 keeps them forever.
   */
  @IsInt()
  @Min(0)
  @Max(36500)
  RECORDING_RETENTION_DAYS = 0;

  /** Lifetime of a signed recording URL handed to the console (an <audio src> cannot send a token). */
  @IsInt()
  @Min(10)
  @Max(86400)
  RECORDING_URL_TTL_SECONDS = 900;

  /**
   * Outbound webhook endpoints may resolve to loopback, private or link-local addresses: always
   * outside production; in production only when set to true (docs/outbound-webhooks.md).
   */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'OUTBOUND_WEBHOOKS_ALLOW_PRIVATE must be true or false' })
  OUTBOUND_WEBHOOKS_ALLOW_PRIVATE?: 'true' | 'false';

  /** Attempts of one outbound webhook delivery before it is marked failed. */
  @IsInt()
  @Min(1)
  @Max(30)
  OUTBOUND_WEBHOOK_ATTEMPTS = 8;

  /** First retry delay of an outbound delivery in ms; it doubles with every attempt. */
  @IsInt()
  @Min(1)
  OUTBOUND_WEBHOOK_RETRY_DELAY_MS = 30_000;

  /** How long one outbound attempt may take (connect, send, answer) before it counts as failed. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  OUTBOUND_WEBHOOK_TIMEOUT_MS = 10_000;

  /** An endpoint whose deliveries have failed for this many days without a success is disabled. */
  @IsInt()
  @Min(1)
  @Max(90)
  OUTBOUND_WEBHOOK_DISABLE_AFTER_DAYS = 5;

  /** Exotel reports local times without a zone; this is the account's UTC offset. */
  @Matches(/^[+-]\d{2}:\d{2}$/, { message: 'EXOTEL_UTC_OFFSET must look like +05:30' })
  EXOTEL_UTC_OFFSET = '+05:30';

  // Provider API hosts, overridable so tests can point the adapters at a local stub.
  @IsUrl({ require_tld: false, require_protocol: true }) TWILIO_API_BASE_URL =
    'https://api.twilio.com';
  @IsUrl({ require_tld: false, require_protocol: true }) EXOTEL_API_BASE_URL =
    'https://api.exotel.com';
  @IsUrl({ require_tld: false, require_protocol: true }) BOLNA_API_BASE_URL =
    'https://api.bolna.ai';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** Whether outbound webhooks may reach loopback, private and link-local addresses. */
  get outboundWebhooksAllowPrivate(): boolean {
    return !this.isProduction || this.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE === 'true';
  }

  /** Whether HOT_PATH_SIMPLE asks for the simpler form of this piece of the hot path. */
  simpleHotPath(piece: HotPathPiece): boolean {
    return this.HOT_PATH_SIMPLE?.split(',').includes(piece) ?? false;
  }

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

const NUMERIC_KEYS = new Set([
  'PORT',
  'LOGIN_RATE_LIMIT_PER_MINUTE',
  'MAX_CALL_SECONDS',
  'CAMPAIGN_TICK_MS',
  'WEBHOOK_WORKER_CONCURRENCY',
  'RECONCILE_AFTER_SECONDS',
  'JOB_ATTEMPTS',
  'RECORDING_COPY_ATTEMPTS',
  'RECORDING_RETRY_DELAY_MS',
  'RECORDING_URL_TTL_SECONDS',
  'RECORDING_RETENTION_DAYS',
  'JOB_RETRY_DELAY_MS',
  'OUTBOUND_WEBHOOK_ATTEMPTS',
  'OUTBOUND_WEBHOOK_RETRY_DELAY_MS',
  'OUTBOUND_WEBHOOK_TIMEOUT_MS',
  'OUTBOUND_WEBHOOK_DISABLE_AFTER_DAYS',
]);

/** Builds and validates the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    raw[key] = NUMERIC_KEYS.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  const config = plainToInstance(AppConfig, raw, { excludeExtraneousValues: false });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(
      errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((message) =>
          message.startsWith(error.property) ? message : `${error.property}: ${message}`,
        ),
      ),
    );
  }
  // Production requires both secrets (validated above). Elsewhere a secret written in the source
  // would let anyone forge tokens and webhooks of a machine left reachable: each installation
  // generates its own once, in a local file every process (api nodes, worker, CLI) reads.
  if (!config.isProduction && (!config.JWT_SECRET || !config.SIMULATOR_WEBHOOK_SECRET)) {
    let generated;
    try {
      generated = localSecrets(config.SECRETS_FILE);
    } catch (error) {
      throw new ConfigValidationError([
        `SECRETS_FILE: ${(error as Error).message} (or set JWT_SECRET and SIMULATOR_WEBHOOK_SECRET)`,
      ]);
    }
    config.JWT_SECRET ??= generated.JWT_SECRET;
    config.SIMULATOR_WEBHOOK_SECRET ??= generated.SIMULATOR_WEBHOOK_SECRET;
  }
  config.PUBLIC_BASE_URL ??= `http://localhost:${config.PORT}`;
  return config;
}
