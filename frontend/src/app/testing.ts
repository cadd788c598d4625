import { ChangeDetectionStrategy, Component } from '@angular/core';

import { User } from './core/auth/user';
import { CallView } from './core/calls/call';
import { Transaction, Wallet } from './core/wallet/wallet';

/** Helpers shared by the specs. */
@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
export class BlankPage {}

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 'u-admin',
    email: 'admin@demo.test',
    name: 'Ada Admin',
    role: 'admin',
    active: true,
    createdAt: '2026-01-15T10:00:00.000Z',
    organization: { id: 'org-1', name: 'Demo Org' },
    ...overrides,
  };
}

export function makeCall(overrides: Partial<CallView> = {}): CallView {
  return {
    id: '5708fb09-f909-4626-a386-61c7792ab14a',
    provider: 'simulator',
    providerCallId: 'SIMbb9f22f5fd9948a9a9d696ea',
    direction: 'outbound',
    from: '+15005550006',
    to: '+14155550100',
    country: 'US',
    status: 'completed',
    rawStatus: 'completed',
    agent: { id: 'u-admin', name: 'Ada Admin' },
    contactId: null,
    createdAt: '2026-11-21T21:33:18.691Z',
    answeredAt: '2026-11-21T21:33:19.200Z',
    endedAt: '2026-11-21T21:33:21.200Z',
    durationSeconds: 20,
    timeLimitSeconds: 3600,
    costMicros: '1234500',
    providerCostMicros: null,
    providerCurrency: null,
    recordingUrl: null,
    hangupReason: 'Normal hangup',
    ...overrides,
  };
}

export function makeWallet(overrides: Partial<Wallet> = {}): Wallet {
  return {
    currency: 'USD',
    balanceMicros: '25000000',
    heldMicros: '0',
    availableMicros: '25000000',
    lowBalanceThresholdMicros: '5000000',
    lowBalance: false,
    formatted: { balance: '25.00', held: '0.00', available: '25.00', lowBalanceThreshold: '5.00' },
    ...overrides,
  };
}

export function makeTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: '0b7e4c1e-3a55-4c4f-9b59-2f8f2f6f1a10',
    kind: 'topup',
    balanceChangeMicros: '10000000',
    heldChangeMicros: '0',
    availableChangeMicros: '10000000',
    balanceAfterMicros: '35000000',
    availableAfterMicros: '35000000',
    callId: null,
    reason: null,
    createdBy: 'u-admin',
    createdAt: '2026-11-21T21:40:00.000Z',
    formatted: { balanceChange: '10.00', availableChange: '10.00', balanceAfter: '35.00' },
    ...overrides,
  };
}
