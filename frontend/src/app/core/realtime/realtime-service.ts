import {
  DestroyRef,
  ErrorHandler,
  Injectable,
  InjectionToken,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { Router } from '@angular/router';
import { Observable } from 'rxjs';
import { ManagerOptions, SocketOptions, io } from 'socket.io-client';

import { ApiView } from '../api/api-schema';
import { AuthService } from '../auth/auth-service';
import { loginUrlTree } from '../auth/login-redirect';
import { CallView } from '../calls/call';
import { ContactImportProgress } from '../contacts/contact';
import { DashboardMetrics } from '../dashboard/dashboard';
import { WalletBalanceUpdate } from '../wallet/wallet';

export type RealtimeStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What the server pushes (payloads exactly as the REST API returns them), plus `resync`. */
export interface RealtimeEvents {
  'call:created': CallView;
  'call:updated': CallView;
  'wallet:updated': WalletBalanceUpdate;
  'metrics:updated': DashboardMetrics;
  /** Sent to the uploader only, after each batch of an import. */
  'contacts:import-progress': ContactImportProgress;
  /** To the organization's admins: a campaign as `GET /api/campaigns/:id` returns it. */
  'campaign:updated': ApiView<'CampaignView'>;
  /**
   * Connected again without recovering the events missed meanwhile: whoever shows pushed data
   * should load it again.
   */
  resync: undefined;
}
export type RealtimeEventName = keyof RealtimeEvents;

const SERVER_EVENTS = [
  'call:created',
  'call:updated',
  'wallet:updated',
  'metrics:updated',
  'contacts:import-progress',
  'campaign:updated',
] as const;

/** Failed attempts in a row after which the console says it is offline (it keeps retrying). */
export const OFFLINE_AFTER_FAILURES = 3;

/** The part of a socket.io client socket the service uses, so that specs can hand it a fake. */
export interface RealtimeSocket {
  readonly connected: boolean;
  /** False once the server refused the connection (a middleware error): no automatic retry. */
  readonly active: boolean;
  /** The last reconnection restored the session, missed events included. */
  readonly recovered: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export type SocketFactory = (options: Partial<ManagerOptions & SocketOptions>) => RealtimeSocket;

/** Creates the socket.io connection to the same origin; replaced by a fake in specs. */
export const SOCKET_FACTORY = new InjectionToken<SocketFactory>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => (options) => io(options),
});

type Handler<E extends RealtimeEventName> = (payload: RealtimeEvents[E]) => void;

/**
 * The console's socket.io connection: open while the shell is shown and a token exists, with the
 * access token in `auth` (never in the URL). Exposes the connection `status` and typed events;
 * socket.io reconnects with exponential backoff, and a reconnection that could not recover the
 * missed events emits `resync`. A refused connection (expired token, deactivated user) ends the
 * session like a 401 does.
 */
@Injectable({ providedIn: 'root' })
export class RealtimeService {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly errorHandler = inject(ErrorHandler);
  private readonly createSocket = inject(SOCKET_FACTORY);

  private readonly statusState = signal<RealtimeStatus>('offline');
  private readonly handlers = new Map<RealtimeEventName, Set<Handler<never>>>();
  private started = false;
  private socket: RealtimeSocket | null = null;
  private socketToken: string | null = null;

  readonly status = this.statusState.asReadonly();

  constructor() {
    // Sign-out (or a new sign-in) closes the socket, or reopens it with the new token.
    effect(() => {
      this.auth.token();
      untracked(() => this.sync());
    });
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Connects (when signed in) and stays connected until `stop()` or sign-out. */
  start(): void {
    this.started = true;
    this.sync();
  }

  stop(): void {
    this.started = false;
    this.sync();
  }

  /** Calls `handler` with every `event` until the returned function is called. */
  on<E extends RealtimeEventName>(event: E, handler: Handler<E>): () => void {
    let handlers = this.handlers.get(event);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(event, handlers);
    }
    const set = handlers;
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  /** `on()` as an Observable (for debouncing and the like). */
  observe<E extends RealtimeEventName>(event: E): Observable<RealtimeEvents[E]> {
    return new Observable((subscriber) => this.on(event, (payload) => subscriber.next(payload)));
  }

  private sync(): void {
    const token = untracked(this.auth.token);
    if (this.started && token) this.open(token);
    else this.close();
  }

  private open(token: string): void {
    if (this.socket && this.socketToken === token) return;
    this.close();
    let everConnected = false;
    let failures = 0;
    this.socketToken = token;
    this.statusState.set('connecting');
    const socket = this.createSocket({
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token },
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    const current = () => this.socket === socket;

    socket.on('connect', () => {
      if (!current()) return;
      const missedEvents = everConnected && !socket.recovered;
      everConnected = true;
      failures = 0;
      this.statusState.set('connected');
      if (missedEvents) this.emit('resync', undefined);
    });
    socket.on('disconnect', (reason: string) => {
      if (!current()) return;
      this.statusState.set('reconnecting');
      // socket.io retries by itself except when the server closed the socket on purpose: it does
      // so when the user's role changed or the user was deactivated. Read the user again (a 401
      // signs out, see authInterceptor; a new role updates the console) and reconnect.
      if (reason === 'io server disconnect') {
        this.auth.loadMe().subscribe({ error: () => undefined });
        socket.connect();
      }
    });
    socket.on('connect_error', (error: Error) => {
      if (!current()) return;
      if (!socket.active) {
        this.refused(error);
        return;
      }
      failures++;
      if (failures >= OFFLINE_AFTER_FAILURES) this.statusState.set('offline');
      else this.statusState.set(everConnected ? 'reconnecting' : 'connecting');
    });
    for (const event of SERVER_EVENTS) {
      socket.on(event, (payload: RealtimeEvents[typeof event]) => {
        if (current()) this.emit(event, payload);
      });
    }
  }

  private close(): void {
    const socket = this.socket;
    this.socket = null;
    this.socketToken = null;
    this.statusState.set('offline');
    socket?.disconnect();
  }

  /** The server refused the socket: the token expired or the user was deactivated. */
  private refused(error: Error): void {
    console.warn(`Realtime connection refused: ${error.message}`);
    this.close();
    this.auth.logout();
    const returnUrl = this.router.url;
    if (!returnUrl.startsWith('/login')) {
      void this.router.navigateByUrl(loginUrlTree(this.router, returnUrl));
    }
  }

  private emit<E extends RealtimeEventName>(event: E, payload: RealtimeEvents[E]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      try {
        (handler as Handler<E>)(payload);
      } catch (error) {
        // One broken listener must not starve the others.
        this.errorHandler.handleError(error);
      }
    }
  }
}
