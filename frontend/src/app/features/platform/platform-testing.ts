import { PlatformOrganization, PricePlan } from './platform-api';

/** Spec helpers of the platform pages. */
export function makeOrganization(
  overrides: Partial<PlatformOrganization> = {},
): PlatformOrganization {
  return {
    id: '2f1c1a52-8d0e-4d59-9a57-0d6f0e7c1a01',
    name: 'Acme Corp',
    defaultCountry: 'US',
    createdAt: '2026-11-01T10:00:00.000Z',
    suspendedAt: null,
    suspensionReason: null,
    pricePlan: { id: 'plan-default', name: 'Default', isDefault: true },
    users: 3,
    wallet: {
      currency: 'USD',
      balanceMicros: '1250505000',
      heldMicros: '3000000',
      availableMicros: '1247505000',
      creditsMicros: '1000000000',
      topUpsMicros: '250000000',
      lastTopUpAt: '2026-11-20T09:00:00.000Z',
    },
    ...overrides,
  };
}

export function makePlan(overrides: Partial<PricePlan> = {}): PricePlan {
  return {
    id: 'plan-default',
    name: 'Default',
    isDefault: true,
    rates: 12,
    organizations: 4,
    createdAt: '2026-10-01T10:00:00.000Z',
    ...overrides,
  };
}
