import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AuthUser, isAdminRole } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { CallBillingService } from '../billing/call-billing.service';
import { ContactsService } from '../contacts/contacts.service';
import { DncService } from '../dnc/dnc.service';
import { ProviderApiError } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { WalletService } from '../wallet/wallet.service';
import { CallProgressService } from './call-progress.service';
import { checkCallingHours } from './calling-hours';
import { ACTIVE_STATUSES } from './call-status';
import { CallView } from './call-view';
import { InitiateCallDto } from './calls.dto';
import { CallsService } from './calls.service';
import { Call } from './entities/call.entity';
import { CallerId } from './entities/caller-id.entity';

/** A server-placed call that no person's request made (a campaign's attempt). */
export interface ServerPlacement {
  organizationId: string;
  agentId: string | null;
  provider: 'simulator' | 'exotel' | 'bolna';
  to: string;
  country: string | null;
  from: string | null;
  contactId: string | null;
  metadata: Record<string, string | number | boolean | null>;
  /** Bolna: the agent that talks (the deployment's BOLNA_AGENT_ID when absent). */
  bolnaAgentId?: string | null;
  /** Bolna: the agent's variables (contact fields). */
  variables?: Record<string, string>;
}

/** Ringing and setup time allowed on top of the longest call before a "live" call stops blocking. */
const LIVE_CALL_GRACE_SECONDS = 600;

/** The raw status of the failure of a call its provider refused to place. */
export const PLACEMENT_REFUSED = 'placement-refused';

/**
 * Places server-side calls (Exotel, Bolna, simulator): record the call and hold the money for the
 * longest affordable call in one transaction, then ask the provider, with that time limit.
 */
@Injectable()
export class CallPlacementService {
  private readonly logger = new Logger(CallPlacementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderRegistry,
    private readonly calls: CallsService,
    private readonly billing: CallBillingService,
    private readonly wallets: WalletService,
    private readonly realtime: RealtimePublisher,
    private readonly contacts: ContactsService,
    private readonly progress: CallProgressService,
    private readonly dnc: DncService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The default calling hours of the callee's country (docs/calling-hours.md): null when the call
   * may go now (or the rule is off), else the sentence naming the rule.
   */
  callingHoursRefusal(e164: string, country: string | null, at = new Date()): string | null {
    if (this.config.CALLING_HOURS === 'off') return null;
    return checkCallingHours(e164, country, at).reason;
  }

  async initiate(caller: AuthUser, request: InitiateCallDto): Promise<CallView> {
    const adapter = this.providers.get(request.provider);
    if (!adapter.isEnabled()) {
      throw new BadRequestException(
        `provider ${request.provider} is not configured on this Switchboard`,
      );
    }
    const phones = await OrganizationPhones.of(this.dataSource.manager, caller.organizationId);
    const to = phones.require(request.to, 'to');
    const from = request.from ? phones.require(request.from, 'from', '+14155550142') : null;
    // Before any hold or provider request: a listed number is refused (403) and the attempt recorded.
    await this.dnc.assertCallable(caller.organizationId, to.e164, {
      provider: request.provider,
      userId: caller.id,
    });
    if (request.overrideCallingHours && !isAdminRole(caller.role)) {
      throw new ForbiddenException('overrideCallingHours is for admins and owners only');
    }
    const hoursRefusal = this.callingHoursRefusal(to.e164, to.country);
    if (hoursRefusal && !request.overrideCallingHours) {
      throw new ForbiddenException(
        `The call cannot be placed ${hoursRefusal}` +
          (isAdminRole(caller.role)
            ? ' (an admin may override with overrideCallingHours: true)'
            : ''),
      );
    }
    // Exotel's `from` is the agent's own phone; elsewhere it is the caller ID the callee sees, and
    // must be one of the organization's (provider accounts are shared by every organization).
    if (
      from &&
      request.provider !== 'exotel' &&
      !(await this.dataSource
        .getRepository(CallerId)
        .existsBy({ organizationId: caller.organizationId, number: from.e164 }))
    ) {
      throw new BadRequestException(
        `from ${from.e164} is not one of your organization's caller IDs`,
      );
    }

    // The call and its hold commit together; a refusal (402) leaves neither.
    const call = await this.dataSource.transaction(async (manager) => {
      if (this.config.ONE_LIVE_CALL_PER_AGENT === 'on')
        await this.assertNoLiveCall(manager, caller);
      const created = await manager.save(
        manager.create(Call, {
          organizationId: caller.organizationId,
          agentId: caller.id,
          provider: request.provider,
          direction: 'outbound',
          fromNumber: from?.e164 ?? null,
          toNumber: to.e164,
          country: to.country,
          status: 'initiated',
          contactId: await this.contacts.idForPhone(manager, caller.organizationId, to.e164),
          metadata:
            request.provider === 'simulator'
              ? {
                  scenario: request.scenario ?? 'random',
                  chaos: !!request.chaos,
                  ...(hoursRefusal ? { callingHoursOverride: hoursRefusal } : {}),
                }
              : hoursRefusal
                ? { callingHoursOverride: hoursRefusal }
                : {},
        }),
      );
      await this.billing.reserve(manager, created);
      return created;
    });
    await this.published(caller.organizationId, call.id, 'call:created');

    try {
      const placed = await adapter.placeCall({
        callId: call.id,
        to: to.e164,
        from: from?.e164,
        timeLimitSeconds: call.timeLimitSeconds!,
        statusCallbackUrl: this.providers.statusCallbackUrl(request.provider, call.id),
        scenario: request.scenario,
        talkSeconds: request.talkSeconds,
        chaos: request.chaos,
      } as Parameters<typeof adapter.placeCall>[0]);
      // A fast webhook may have named the provider call already; never overwrite it.
      await this.dataSource
        .createQueryBuilder()
        .update(Call)
        .set({
          providerCallId: placed.providerCallId,
          fromNumber: from?.e164 ?? placed.from ?? null,
        })
        .where('id = :id AND provider_call_id IS NULL', { id: call.id })
        .execute();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A timeout or a 5xx leaves the outcome unknown: the provider may be dialing. Keep the call and
      // its hold; its webhooks, or reconciliation, settle it. Only a definite refusal releases now.
      const outcomeUnknown =
        error instanceof ProviderApiError && (error.status === undefined || error.status >= 500);
      if (outcomeUnknown) {
        this.logger.warn(`${request.provider} did not answer for call ${call.id}: ${reason}`);
        throw new BadGatewayException(
          `${request.provider} did not confirm the call (${reason}); it will be checked with the provider`,
        );
      }
      this.logger.warn(`${request.provider} refused call ${call.id}: ${reason}`);
      await this.failAndRelease(call.id, reason);
      await this.published(caller.organizationId, call.id, 'call:updated');
      if (error instanceof ProviderApiError) {
        throw new BadGatewayException(`${request.provider} could not place the call: ${reason}`);
      }
      throw error;
    }
    return this.calls.view(this.dataSource.manager, call.id);
  }

  /**
   * Campaign placements, step 1, in the caller's transaction: the call row and its hold, through
   * the same billing.reserve as POST /api/calls (402 PaymentRequiredException when there is no rate
   * or the wallet cannot hold one billing increment). Rules (DNC, hours) are the caller's to check.
   */
  async createHeldCall(manager: EntityManager, placement: ServerPlacement): Promise<Call> {
    const created = await manager.save(
      manager.create(Call, {
        organizationId: placement.organizationId,
        agentId: placement.agentId,
        provider: placement.provider,
        direction: 'outbound',
        fromNumber: placement.from,
        toNumber: placement.to,
        country: placement.country,
        status: 'initiated',
        contactId: placement.contactId,
        metadata: placement.metadata,
      }),
    );
    await this.billing.reserve(manager, created);
    return created;
  }

  /**
   * Campaign placements, step 2, after the commit of step 1: asks the provider. `placed`: it took
   * the call; `refused`: it definitely did not (the call failed, its hold released); `unknown`: no
   * answer (the call and hold stay, its webhooks or reconciliation settle it).
   */
  async dialHeldCall(
    call: Call,
    placement: ServerPlacement,
  ): Promise<'placed' | 'refused' | 'unknown'> {
    await this.published(call.organizationId, call.id, 'call:created');
    const adapter = this.providers.get(placement.provider);
    try {
      const placed = await adapter.placeCall({
        callId: call.id,
        to: placement.to,
        from: placement.from ?? undefined,
        timeLimitSeconds: call.timeLimitSeconds!,
        statusCallbackUrl: this.providers.statusCallbackUrl(placement.provider, call.id),
        agentId: placement.bolnaAgentId ?? undefined,
        variables: placement.variables,
      });
      await this.dataSource
        .createQueryBuilder()
        .update(Call)
        .set({
          providerCallId: placed.providerCallId,
          fromNumber: placement.from ?? placed.from ?? null,
        })
        .where('id = :id AND provider_call_id IS NULL', { id: call.id })
        .execute();
      return 'placed';
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const outcomeUnknown =
        error instanceof ProviderApiError && (error.status === undefined || error.status >= 500);
      if (outcomeUnknown) {
        this.logger.warn(`${placement.provider} did not answer for call ${call.id}: ${reason}`);
        return 'unknown';
      }
      this.logger.warn(`${placement.provider} refused call ${call.id}: ${reason}`);
      await this.failAndRelease(call.id, reason);
      await this.published(call.organizationId, call.id, 'call:updated');
      return 'refused';
    }
  }

  /**
   * One live call per agent (DESIGN §9 "Call control"): a second call is refused with 409 naming the
   * live one, until it ends or is hung up. Placements of one agent are serialized by a transaction
   * lock, so two requests at once cannot both pass. A call still "live" past the longest possible
   * call (its provider never reported the end; reconciliation settles it) does not block.
   */
  private async assertNoLiveCall(manager: EntityManager, caller: AuthUser): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('live-call:' || $1))`, [caller.id]);
    const live: { id: string; to_number: string; status: string }[] = await manager.query(
      `SELECT id, to_number, status FROM calls
        WHERE organization_id = $1 AND agent_id = $2 AND status = ANY($3)
          AND created_at > now() - make_interval(secs => $4)
        ORDER BY created_at DESC LIMIT 1`,
      [
        caller.organizationId,
        caller.id,
        ACTIVE_STATUSES,
        this.config.MAX_CALL_SECONDS + LIVE_CALL_GRACE_SECONDS,
      ],
    );
    if (live.length) {
      const [call] = live;
      throw new ConflictException(
        `You already have a live call (${call.id} to ${call.to_number}, ` +
          `${call.status.replace('_', ' ')}): end it before placing another`,
      );
    }
  }

  /**
   * The provider refused: the call failed before it started. It ends through the state machine like
   * any call (timeline row), and its hold goes back to the wallet in the same transaction.
   */
  private async failAndRelease(callId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const call = await manager.findOne(Call, {
        where: { id: callId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!call || call.status !== 'initiated') return;
      await this.progress.applyOwnEvent(manager, call, {
        dedupeKey: `${PLACEMENT_REFUSED}:${callId}`,
        providerCallId: '',
        callId,
        rawStatus: PLACEMENT_REFUSED,
        status: 'failed',
        occurredAt: new Date(),
        facts: { hangupReason: reason.slice(0, 200) },
      });
      await this.billing.settleIfEnded(manager, call);
    });
  }

  /** After the commit: the call to its agent and admins, the new balance to the organization. */
  private async published(
    organizationId: string,
    callId: string,
    event: 'call:created' | 'call:updated',
  ): Promise<void> {
    const call = await this.calls.view(this.dataSource.manager, callId);
    this.realtime.publish({ event, organizationId, userId: call.agent?.id ?? null, payload: call });
    await this.wallets.publishBalance(organizationId);
  }
}
