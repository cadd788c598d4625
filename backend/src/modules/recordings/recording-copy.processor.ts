import { Processor } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { LoggedWorkerHost } from '../../queue/logged-worker-host';
import { QueueName } from '../../queue/queue-name';
import { CallsService } from '../calls/calls.service';
import { basicAuthorization } from '../providers/provider-http';
import { ProviderName } from '../providers/provider-adapter';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { CopyRecordingJob } from './recording-jobs';
import { RecordingStorage } from './recording-storage';

/** Largest recording kept (a 4-hour call in 16-bit 8 kHz WAV is 230 MB; MP3 is far smaller). */
export const MAX_RECORDING_BYTES = 300 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

const EXTENSIONS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/webm': 'webm',
};

/**
 * Copies a call's recording from its provider into RecordingStorage, with the provider's
 * credentials where its recordings need them (only to the provider's own hosts: presigned S3
 * links must get no Authorization header). Retried with exponential backoff; after the last
 * attempt the recording is marked failed with the reason (admins see it in the call's detail).
 */
@Processor(QueueName.Recordings, { concurrency: 4 })
export class RecordingCopyProcessor extends LoggedWorkerHost {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly storage: RecordingStorage,
    private readonly calls: CallsService,
    private readonly realtime: RealtimePublisher,
  ) {
    super();
  }

  async process(job: Job<CopyRecordingJob>): Promise<void> {
    const { callId } = job.data;
    const [row]: {
      organization_id: string;
      provider: ProviderName;
      recording_status: string | null;
      recording_provider_url: string | null;
      recording_content_type: string | null;
    }[] = await this.dataSource.query(
      `SELECT o.organization_id, c.provider, o.recording_status, o.recording_provider_url,
              o.recording_content_type
         FROM call_outcomes o JOIN calls c ON c.id = o.call_id
        WHERE o.call_id = $1`,
      [callId],
    );
    if (!row || row.recording_status !== 'pending' || !row.recording_provider_url) return;
    try {
      const stored = await this.copy(
        callId,
        row.organization_id,
        row.provider,
        row.recording_provider_url,
        row.recording_content_type,
      );
      await this.dataSource.query(
        `UPDATE call_outcomes SET recording_status = 'stored', recording_storage_key = $2,
                recording_size_bytes = $3, recording_content_type = $4,
                recording_attempts = recording_attempts + 1, recording_last_error = NULL,
                recording_stored_at = now(), updated_at = now()
          WHERE call_id = $1 AND recording_status = 'pending'`,
        [callId, stored.key, stored.size, stored.contentType],
      );
      await this.publish(callId);
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      const last = job.attemptsMade + 1 >= attempts;
      const message = (error as Error).message.slice(0, 2000);
      await this.dataSource.query(
        `UPDATE call_outcomes SET recording_attempts = recording_attempts + 1,
                recording_last_error = $2,
                recording_status = CASE WHEN $3::boolean THEN 'failed' ELSE recording_status END,
                updated_at = now()
          WHERE call_id = $1 AND recording_status = 'pending'`,
        [callId, message, last],
      );
      if (last) {
        this.logger.warn(
          `recording of call ${callId} failed after ${attempts} attempts: ${message}`,
        );
        await this.publish(callId);
      }
      throw error;
    }
  }

  private async copy(
    callId: string,
    organizationId: string,
    provider: ProviderName,
    url: string,
    expectedType: string | null,
  ): Promise<{ key: string; size: number; contentType: string }> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Accept: 'audio/*', ...this.credentials(provider, url) },
        redirect: 'follow',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message;
      throw new Error(
        `${provider} recording could not be fetched: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
        { cause: error },
      );
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`${provider} answered HTTP ${response.status} for the recording`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_RECORDING_BYTES) {
      await response.body.cancel().catch(() => undefined);
      throw new Error(`${provider} recording is ${declared} bytes, more than Switchboard keeps`);
    }
    const headerType = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
    const contentType =
      headerType && EXTENSIONS[headerType] ? headerType : (expectedType ?? 'audio/mpeg');
    const key = `${organizationId}/${callId}.${EXTENSIONS[contentType] ?? 'bin'}`;
    const size = await this.storage.put(
      key,
      Readable.fromWeb(response.body as unknown as WebReadableStream),
      MAX_RECORDING_BYTES,
    );
    return { key, size, contentType };
  }

  /** The provider's credentials, only for its own hosts (never for a presigned storage link). */
  private credentials(provider: ProviderName, url: string): Record<string, string> {
    const c = this.config;
    const host = new URL(url).host.toLowerCase();
    const hostOf = (base: string) => new URL(base).host.toLowerCase();
    const ownHost = (base: string, domain: string) =>
      host === hostOf(base) || host === domain || host.endsWith(`.${domain}`);
    if (
      provider === 'twilio' &&
      c.TWILIO_ACCOUNT_SID &&
      c.TWILIO_AUTH_TOKEN &&
      ownHost(c.TWILIO_API_BASE_URL, 'twilio.com')
    )
      return { Authorization: basicAuthorization(c.TWILIO_ACCOUNT_SID, c.TWILIO_AUTH_TOKEN) };
    if (
      provider === 'exotel' &&
      c.EXOTEL_API_KEY &&
      c.EXOTEL_API_TOKEN &&
      ownHost(c.EXOTEL_API_BASE_URL, 'exotel.com')
    )
      return { Authorization: basicAuthorization(c.EXOTEL_API_KEY, c.EXOTEL_API_TOKEN) };
    if (provider === 'bolna' && c.BOLNA_API_KEY && ownHost(c.BOLNA_API_BASE_URL, 'bolna.ai'))
      return { Authorization: `Bearer ${c.BOLNA_API_KEY}` };
    return {};
  }

  private async publish(callId: string): Promise<void> {
    try {
      const view = await this.calls.view(this.dataSource.manager, callId);
      const [owner]: { organization_id: string; agent_id: string | null }[] =
        await this.dataSource.query(`SELECT organization_id, agent_id FROM calls WHERE id = $1`, [
          callId,
        ]);
      if (owner)
        this.realtime.publish({
          event: 'call:updated',
          organizationId: owner.organization_id,
          userId: owner.agent_id,
          payload: view,
        });
    } catch (error) {
      this.logger.warn(`recording of ${callId} stored, not published: ${(error as Error).message}`);
    }
  }
}
