import { ChangeDetectionStrategy, Component, Provider } from '@angular/core';

import { User } from './core/auth/user';
import { CallView } from './core/calls/call';
import { Contact } from './core/contacts/contact';
import { DashboardMetrics } from './core/dashboard/dashboard';
import {
  RealtimeEvents,
  RealtimeSocket,
  SOCKET_FACTORY,
  SocketFactory,
} from './core/realtime/realtime-service';
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
    pending: false,
    createdAt: '2026-01-15T10:00:00.000Z',
    lastLoginAt: null,
    organization: {
      id: 'org-1',
      name: 'Demo Org',
      currency: 'USD',
      timeZone: 'UTC',
      timeZoneChosen: true,
    },
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
    contact: null,
    note: null,
    disposition: null,
    createdAt: '2026-11-21T21:33:18.691Z',
    answeredAt: '2026-11-21T21:33:19.200Z',
    endedAt: '2026-11-21T21:33:21.200Z',
    durationSeconds: 20,
    timeLimitSeconds: 3600,
    costMicros: '1234500',
    providerCostMicros: null,
    providerCurrency: null,
    hangupReason: 'Normal hangup',
    campaignId: null,
    hasRecording: false,
    hasTranscript: false,
    summary: null,
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

export function makeMetrics(overrides: Partial<DashboardMetrics> = {}): DashboardMetrics {
  return {
    activeCalls: { initiated: 0, ringing: 0, in_progress: 0, total: 0 },
    today: {
      calls: 12,
      answered: 9,
      answerRate: 0.75,
      minutes: 7.5,
      spendMicros: '97500',
      spend: '0.0975',
    },
    callsPerHour: Array.from({ length: 24 }, (_, hour) => (hour === 9 ? 12 : 0)),
    timeZone: 'UTC',
    balance: { balanceMicros: '25000000', heldMicros: '0', availableMicros: '25000000' },
    scope: 'organization',
    generatedAt: '2026-11-21T09:30:00.000Z',
    ...overrides,
  };
}

type Listener = (...args: unknown[]) => void;

/** A socket.io client socket that specs drive by hand: the "server" side is the methods below. */
export class FakeSocket implements RealtimeSocket {
  connected = false;
  active = true;
  recovered = false;
  disconnected = false;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly options: Parameters<SocketFactory>[0]) {}

  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener]);
    return this;
  }

  connect(): this {
    this.active = true;
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    this.connected = false;
    this.active = false;
    this.disconnected = true;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  /** The server accepted the connection (again); `recovered` as socket.io reports it. */
  accept(recovered = false): void {
    this.connected = true;
    this.recovered = recovered;
    this.fire('connect');
  }

  /** The connection dropped (network, server restart); socket.io will retry. */
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  /** An attempt to connect failed on the way (network): socket.io will retry. */
  fail(message = 'websocket error'): void {
    this.fire('connect_error', new Error(message));
  }

  /** The server's middleware refused the socket: socket.io gives up. */
  refuse(message = 'Invalid or expired access token'): void {
    this.active = false;
    this.fire('connect_error', new Error(message));
  }

  /** A server push. */
  push<E extends Exclude<keyof RealtimeEvents, 'resync'>>(
    event: E,
    payload: RealtimeEvents[E],
  ): void {
    this.fire(event, payload);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

/** Hands the RealtimeService fake sockets and keeps them for the spec to drive. */
export class FakeSockets {
  readonly created: FakeSocket[] = [];

  readonly provider: Provider = {
    provide: SOCKET_FACTORY,
    useValue: ((options) => {
      const socket = new FakeSocket(options);
      this.created.push(socket);
      return socket;
    }) satisfies SocketFactory,
  };

  /** The socket opened last. */
  get last(): FakeSocket {
    const socket = this.created.at(-1);
    if (!socket) throw new Error('No socket was opened');
    return socket;
  }
}

export function makeContact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: '9a1e6f0c-6a43-4c1f-8f0e-3c6f4f8f2a01',
    name: 'Asha Rao',
    phone: '+14155550100',
    country: 'US',
    email: 'asha@northwind.example',
    company: 'Northwind Traders',
    tags: ['customer', 'vip'],
    notes: null,
    lastCalledAt: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}
