import { randomBytes } from 'node:crypto';

/**
 * The secrets every test process uses (global-setup puts them in the environment), generated per
 * run: tests set their own, they never read or write the development secrets file.
 */
export function testSecrets(): { JWT_SECRET: string; SIMULATOR_WEBHOOK_SECRET: string } {
  return {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    SIMULATOR_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
  };
}

/** The simulator's webhook secret of this test run (set by global-setup). */
export const simulatorSecret = (): string => process.env.SIMULATOR_WEBHOOK_SECRET!;

/** The JWT secret of this test run (set by global-setup). */
export const jwtSecret = (): string => process.env.JWT_SECRET!;
