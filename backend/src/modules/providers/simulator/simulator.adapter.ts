import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createHash, randomInt } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { QueueName } from '../../../queue/queue-name';
import { REDIS } from '../../../redis/redis.module';
import {
  HangupTarget,
  IncomingWebhook,
  NormalizedEvent,
  PlaceCallRequest,
  PlacedCall,
  ProviderAdapter,
  ProviderApiError,
  WebhookParseError,
} from '../provider-adapter';
import { mapProviderStatus } from '../provider-status-map';
import {
  eventAt,
  hangUpPlan,
  planSimulatedCall,
  SIMULATOR_HANGUP_REASON,
  SimulatedEvent,
  SimulatorPlan,
  SimulatorScenario,
} from './simulator-plan';
import { verifyStandardWebhook } from './simulator-signature';
import { isTerminal } from '../../calls/call-status';
import {
  compactArtifacts,
  extractedDataOf,
  parseTurnObjects,
  recordingOf,
} from '../call-artifacts';
import {
  simulatedExtractedData,
  simulatedSummary,
  simulatedTranscript,
  SimulatorTurn,
  simulatorRecordingSignature,
} from './simulator-outcome';

/** The simulator's webhook body: what a small real provider would send. */
export interface SimulatorWebhookBody {
  id: string;
  call_id: string;
  switchboard_call_id: string;
  status: string;
  occurred_at: string;
  duration_seconds?: number;
  recording_url?: string;
  recording_duration_seconds?: number;
  hangup_reason?: string;
  /** Answered calls, on their end: what the call's "AI" learned. */
  transcript?: SimulatorTurn[];
  summary?: string;
  extracted_data?: Record<string, unknown>;
  hangup_by?: string;
}

export interface SimulatorDeliveryJob {
  webhookId: string;
  body: SimulatorWebhookBody;
}

export interface SimulatorPlaceOptions {
  scenario?: SimulatorScenario;
  talkSeconds?: number;
  /** Duplicate, delay and reorder the webhooks, as real providers sometimes do. */
  chaos?: boolean;
}

const PLAN_TTL_SECONDS = 24 * 3600;

/**
 * A real provider adapter with no credentials: placing a call schedules delayed BullMQ jobs that
 * POST signed webhooks (Standard Webhooks) to Switchboard's own ingress over HTTP.
 */
@Injectable()
export class SimulatorAdapter implements ProviderAdapter {
  readonly name = 'simulator' as const;
  /** Its call id is derived from Switchboard's: placing a call again places nothing new. */
  readonly idempotentPlacement = true;

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Simulator) private readonly deliveries: Queue<SimulatorDeliveryJob>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  isEnabled(): boolean {
    return true;
  }

  verifyWebhook(request: IncomingWebhook): boolean {
    return verifyStandardWebhook(
      this.config.SIMULATOR_WEBHOOK_SECRET!,
      request.headers,
      request.rawBody,
    );
  }

  parseWebhook(request: IncomingWebhook): NormalizedEvent {
    const body = request.body as Partial<SimulatorWebhookBody>;
    for (const field of ['id', 'call_id', 'status', 'occurred_at'] as const) {
      if (typeof body[field] !== 'string' || body[field] === '') {
        throw new WebhookParseError(`simulator webhook: ${field} is missing or not a string`);
      }
    }
    const occurredAt = new Date(body.occurred_at!);
    if (Number.isNaN(occurredAt.getTime()))
      throw new WebhookParseError('simulator webhook: occurred_at is not a date');
    const status = mapProviderStatus('simulator', body.status);
    const artifacts = compactArtifacts({
      recording: recordingOf(body.recording_url, {
        ...(typeof body.recording_duration_seconds === 'number'
          ? { durationSeconds: body.recording_duration_seconds }
          : {}),
      }),
      transcript: parseTurnObjects(
        Array.isArray(body.transcript)
          ? body.transcript.map((turn) => ({ ...turn, start: turn?.start_seconds }))
          : undefined,
      ),
      summary: typeof body.summary === 'string' ? body.summary : undefined,
      extractedData: extractedDataOf(body.extracted_data),
      hangupBy: typeof body.hangup_by === 'string' ? body.hangup_by : undefined,
    });
    return {
      dedupeKey: body.id!,
      providerCallId: body.call_id!,
      callId: typeof body.switchboard_call_id === 'string' ? body.switchboard_call_id : undefined,
      rawStatus: body.status!,
      status,
      occurredAt,
      facts: {
        durationSeconds:
          typeof body.duration_seconds === 'number' ? body.duration_seconds : undefined,
        recordingUrl: body.recording_url,
        hangupReason: body.hangup_reason,
      },
      ...(artifacts ? { artifacts } : {}),
      // Its end carries everything it will ever say about the call.
      ...(status && isTerminal(status) ? { final: true } : {}),
    };
  }

  async placeCall(request: PlaceCallRequest & SimulatorPlaceOptions): Promise<PlacedCall> {
    // Derived from the call id: asking twice (a worker died mid-placement) names the same call,
    // keeps its first plan, and its deliveries (same job and webhook ids) are deduplicated.
    const providerCallId = `SIM${createHash('sha256').update(request.callId).digest('hex').slice(0, 24)}`;
    const existing = await this.redis.get(this.planKey(providerCallId));
    if (existing) {
      const plan = JSON.parse(existing) as SimulatorPlan;
      await this.deliveries.addBulk(this.deliveryJobs(plan, false));
      return { providerCallId, from: request.from ?? '+15005550006' };
    }
    const plan = planSimulatedCall({
      providerCallId,
      callId: request.callId,
      scenario: request.scenario,
      to: request.to,
      talkSeconds: request.talkSeconds,
      timeLimitSeconds: request.timeLimitSeconds,
      timeScale: Number(this.config.SIMULATOR_TIME_SCALE),
    });
    await this.redis.set(
      this.planKey(providerCallId),
      JSON.stringify(plan),
      'EX',
      PLAN_TTL_SECONDS,
    );
    await this.deliveries.addBulk(this.deliveryJobs(plan, request.chaos ?? false));
    return { providerCallId, from: request.from ?? '+15005550006' };
  }

  async fetchCallState(providerCallId: string): Promise<NormalizedEvent | null> {
    const stored = await this.redis.get(this.planKey(providerCallId));
    if (!stored) return null;
    const plan = JSON.parse(stored) as SimulatorPlan;
    const event = eventAt(plan, Date.now());
    if (!event) return null;
    const body = this.webhookBody(plan, event, `reconcile_${providerCallId}_${event.status}`);
    return this.parseWebhook({
      url: '',
      query: {},
      headers: {},
      contentType: 'application/json',
      rawBody: '',
      body: { ...body },
    });
  }

  hangupUnsupportedReason(call: HangupTarget): string | null {
    return call.providerCallId
      ? null
      : 'The simulator has not named this call yet; try again in a moment';
  }

  /**
   * Ends the call at once, through its own signed webhook like everything it does: the deliveries
   * of what had not happened yet are removed, and one end (talk time up to now) is delivered now.
   * A removed delivery already being sent is harmless: the end is terminal, and the pipeline
   * refuses any status after it.
   */
  async hangUp(call: HangupTarget): Promise<void> {
    const providerCallId = call.providerCallId;
    const stored = providerCallId ? await this.redis.get(this.planKey(providerCallId)) : null;
    if (!providerCallId || !stored) {
      throw new ProviderApiError(
        `the simulator does not know call ${providerCallId ?? call.callId}`,
        404,
      );
    }
    const hungUp = hangUpPlan(
      JSON.parse(stored) as SimulatorPlan,
      Date.now(),
      Number(this.config.SIMULATOR_TIME_SCALE),
    );
    if (!hungUp) return; // it had already ended: that end is on its way
    for (const event of hungUp.removed) {
      const webhookId = `msg_${providerCallId}_${event.status}`;
      await this.deliveries.remove(webhookId);
      await this.deliveries.remove(`${webhookId}_again`);
    }
    await this.redis.set(
      this.planKey(providerCallId),
      JSON.stringify(hungUp.plan),
      'EX',
      PLAN_TTL_SECONDS,
    );
    const webhookId = `msg_${providerCallId}_hangup`;
    await this.deliveries.add(
      'deliver',
      { webhookId, body: this.webhookBody(hungUp.plan, hungUp.end, webhookId) },
      { jobId: webhookId },
    );
  }

  private deliveryJobs(plan: SimulatorPlan, chaos: boolean) {
    const jobs: {
      name: string;
      data: SimulatorDeliveryJob;
      opts: { jobId: string; delay: number };
    }[] = [];
    const scale = Number(this.config.SIMULATOR_TIME_SCALE);
    for (const event of plan.events) {
      const webhookId = `msg_${plan.providerCallId}_${event.status}`;
      const data = { webhookId, body: this.webhookBody(plan, event, webhookId) };
      // Chaos: up to 3 s (scaled) of extra delay reorders events; a third are delivered twice.
      const jitter = () => (chaos ? randomInt(Math.max(1, Math.round(3000 * scale))) : 0);
      jobs.push({
        name: 'deliver',
        data,
        opts: { jobId: webhookId, delay: event.atMs + jitter() },
      });
      if (chaos && randomInt(3) === 0) {
        jobs.push({
          name: 'deliver',
          data,
          opts: { jobId: `${webhookId}_again`, delay: event.atMs + jitter() },
        });
      }
    }
    return jobs;
  }

  private webhookBody(
    plan: SimulatorPlan,
    event: SimulatedEvent,
    webhookId: string,
  ): SimulatorWebhookBody {
    return {
      id: webhookId,
      call_id: plan.providerCallId,
      switchboard_call_id: plan.callId,
      status: event.status,
      occurred_at: new Date(plan.placedAt + event.atMs).toISOString(),
      ...(event.durationSeconds !== undefined ? { duration_seconds: event.durationSeconds } : {}),
      ...(event.hangupReason ? { hangup_reason: event.hangupReason } : {}),
      ...(event.recordingUrl ? this.outcomeOf(plan.providerCallId, event) : {}),
    };
  }

  /**
   * An answered call's end: a recording the simulator serves itself (GET
   * /api/simulator/recordings/…, signed), a transcript, a summary and extracted data.
   */
  private outcomeOf(providerCallId: string, event: SimulatedEvent): Partial<SimulatorWebhookBody> {
    const seconds = Math.max(1, event.durationSeconds ?? 1);
    const url = new URL(
      `/api/simulator/recordings/${encodeURIComponent(providerCallId)}.wav`,
      this.config.PUBLIC_BASE_URL,
    );
    url.searchParams.set('seconds', String(seconds));
    url.searchParams.set(
      'signature',
      simulatorRecordingSignature(this.config.SIMULATOR_WEBHOOK_SECRET!, providerCallId, seconds),
    );
    const hangupBy =
      event.hangupReason === SIMULATOR_HANGUP_REASON
        ? 'agent'
        : event.hangupReason === 'Time limit reached'
          ? 'system'
          : 'callee';
    return {
      recording_url: url.toString(),
      recording_duration_seconds: seconds,
      transcript: simulatedTranscript(seconds),
      summary: simulatedSummary(seconds),
      extracted_data: simulatedExtractedData(seconds),
      hangup_by: hangupBy,
    };
  }

  private planKey(providerCallId: string): string {
    return `simulator:plan:${providerCallId}`;
  }
}
