import { BadGatewayException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { HangupTarget, ProviderApiError } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { isTerminal } from './call-status';
import { CallDetailView, CallView } from './call-view';
import { QualityWarningDto } from './calls.dto';
import { CallsService } from './calls.service';
import { CallEvent } from './entities/call-event.entity';
import { Call } from './entities/call.entity';

/** Timeline outcome of a hang-up asked of the provider and not yet confirmed by its webhook. */
const REQUESTED = 'hangup_requested';
/** Timeline outcome of a hang-up the provider refused or did not answer (a new request may follow). */
const FAILED = 'hangup_failed';

/** Timeline outcomes of the call-quality warnings the agent's browser reported. */
const QUALITY_RAISED = 'quality_warning';
const QUALITY_CLEARED = 'quality_warning_cleared';
/** A browser that keeps reporting past this many entries for one call is ignored. */
export const MAX_QUALITY_ENTRIES = 200;

/** Whether the console may offer hang-up for a call, and why not. */
export interface HangupAvailability {
  canHangUp: boolean;
  hangupUnsupportedReason: string | null;
}

/** `GET /api/calls/:id`: the call, its timeline, and whether it can be hung up from here. */
export class CallControlView extends CallDetailView implements HangupAvailability {
  @ApiProperty({ description: 'Whether POST /api/calls/:id/hangup can end this call now' })
  canHangUp: boolean;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Why not (call ended, or the provider has no documented way), naming the provider',
  })
  hangupUnsupportedReason: string | null;
}

/**
 * Ends live calls on request (DESIGN §9 "Call control"). The request goes to the provider; the
 * call's status changes only when the provider's webhook comes through the pipeline.
 */
@Injectable()
export class CallControlService {
  private readonly logger = new Logger(CallControlService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderRegistry,
    private readonly calls: CallsService,
  ) {}

  availability(
    call: Pick<Call, 'id' | 'provider' | 'providerCallId' | 'parentProviderCallId' | 'status'>,
  ): HangupAvailability {
    if (isTerminal(call.status)) {
      return {
        canHangUp: false,
        hangupUnsupportedReason: `The call has already ended (${call.status})`,
      };
    }
    const reason = this.providers.get(call.provider).hangupUnsupportedReason(target(call));
    return { canHangUp: reason === null, hangupUnsupportedReason: reason };
  }

  /** The call's detail with its hang-up availability. */
  async detail(caller: AuthUser, id: string): Promise<CallControlView> {
    const view = await this.calls.get(caller, id);
    // The view does not carry the Twilio parent leg that availability needs.
    const call = await this.calls.find(caller, id);
    return { ...view, ...this.availability(call) };
  }

  /**
   * Asks the provider to end the call (agents: their own calls; admins: the organization's).
   * A request while an earlier one waits for the provider's confirmation answers the same, without
   * asking the provider again: the timeline entry is the marker, taken under the call's row lock.
   */
  async hangUp(caller: AuthUser, id: string): Promise<CallView> {
    const visible = await this.calls.find(caller, id); // 404 for a call the caller may not see
    let facts: Record<string, string> = {};
    const requested = await this.dataSource.transaction(async (manager) => {
      const call = await manager.findOne(Call, {
        where: { id: visible.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!call) return null;
      const { canHangUp, hangupUnsupportedReason } = this.availability(call);
      if (!canHangUp) throw new ConflictException(hangupUnsupportedReason);
      const pending = await manager.existsBy(CallEvent, { callId: call.id, outcome: REQUESTED });
      if (pending) return null;
      const now = new Date();
      facts = { requestedBy: caller.id, requestedByRole: caller.role };
      const entry = await manager.save(
        manager.create(CallEvent, {
          callId: call.id,
          organizationId: call.organizationId,
          webhookEventId: null,
          provider: call.provider,
          rawStatus: REQUESTED,
          status: null,
          applied: false,
          outcome: REQUESTED,
          sequence: null,
          facts,
          occurredAt: now,
          receivedAt: now,
        }),
      );
      return { entry: entry.id, call };
    });

    if (requested) {
      try {
        await this.providers.get(requested.call.provider).hangUp(target(requested.call));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // Recorded, and no longer pending: the agent may try again.
        await this.dataSource
          .getRepository(CallEvent)
          .update(
            { id: requested.entry },
            { outcome: FAILED, facts: { ...facts, error: reason.slice(0, 300) } },
          );
        this.logger.warn(
          `${requested.call.provider} did not end call ${requested.call.id}: ${reason}`,
        );
        if (error instanceof ProviderApiError && error.status !== undefined && error.status < 500) {
          throw new ConflictException(
            `${requested.call.provider} refused to end the call: ${reason}`,
          );
        }
        throw new BadGatewayException(`${requested.call.provider} did not end the call: ${reason}`);
      }
    }
    return this.calls.view(this.dataSource.manager, visible.id);
  }
}

export interface QualityEntry {
  callId: string;
  warning: string;
  cleared: boolean;
}

/**
 * Call-quality warnings of the agent's browser leg (Twilio Voice SDK `warning` /
 * `warning-cleared`: high RTT, jitter, packet loss, low MOS) stored with the call as timeline
 * entries, so the history shows when the line was bad.
 */
@Injectable()
export class CallQualityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calls: CallsService,
  ) {}

  /** Records one warning (agents: their own calls; admins: the organization's). */
  async record(caller: AuthUser, id: string, body: QualityWarningDto): Promise<void> {
    const call = await this.calls.find(caller, id); // 404 for a call the caller may not see
    const outcome = body.cleared ? QUALITY_CLEARED : QUALITY_RAISED;
    const repository = this.dataSource.getRepository(CallEvent);
    const count = await repository.count({
      where: [
        { callId: call.id, outcome: QUALITY_RAISED },
        { callId: call.id, outcome: QUALITY_CLEARED },
      ],
    });
    if (count >= MAX_QUALITY_ENTRIES) return;
    const now = new Date();
    await repository.save(
      repository.create({
        callId: call.id,
        organizationId: call.organizationId,
        webhookEventId: null,
        provider: call.provider,
        rawStatus: body.warning,
        status: null,
        applied: false,
        outcome,
        sequence: null,
        facts: { warning: body.warning, reportedBy: caller.id },
        occurredAt: now,
        receivedAt: now,
      }),
    );
  }
}

function target(
  call: Pick<Call, 'id' | 'providerCallId' | 'parentProviderCallId' | 'status'>,
): HangupTarget {
  return {
    callId: call.id,
    providerCallId: call.providerCallId,
    parentProviderCallId: call.parentProviderCallId,
    status: call.status,
  };
}
