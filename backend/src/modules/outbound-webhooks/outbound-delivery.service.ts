import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { signedHeaders } from './endpoint-secrets';
import { EndpointDirectory } from './endpoint-directory';
import { postTo, PostResult } from './http-post';
import { ForbiddenTargetError, resolveTarget } from './ssrf-guard';

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'gone';

interface DeliveryRow {
  id: string;
  message_id: string;
  body: string;
  status: string;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_valid: boolean;
  enabled: boolean;
}

/**
 * One attempt of one outbound delivery (the worker's queue retries): sign with every valid
 * secret, check the target again (DNS may have changed since registration), POST, log the
 * attempt, and keep the endpoint's failure clock (disabled after OUTBOUND_WEBHOOK_DISABLE_AFTER_DAYS).
 */
@Injectable()
export class OutboundDeliveryService {
  private readonly logger = new Logger(OutboundDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly directory: EndpointDirectory,
  ) {}

  async attempt(deliveryId: string, final: boolean): Promise<AttemptOutcome> {
    const [row]: DeliveryRow[] = await this.dataSource.query(
      `SELECT d.id, d.message_id, d.body, d.status, d.endpoint_id, e.url, e.secret, e.previous_secret,
              coalesce(e.previous_secret_expires_at > now(), false) AS previous_valid, e.enabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    // Deleted with its endpoint: nothing more is sent.
    if (!row || row.status === 'succeeded') return 'gone';
    if (!row.enabled) {
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint disabled', completed_at = now()
          WHERE id = $1`,
        [deliveryId],
      );
      return 'failed';
    }
    const secrets = [
      row.secret,
      ...(row.previous_valid && row.previous_secret ? [row.previous_secret] : []),
    ];
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Switchboard-Webhooks/1',
      ...signedHeaders(secrets, row.message_id, row.body),
    };
    const result = await this.send(new URL(row.url), headers, row.body);
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const outcome: AttemptOutcome = ok ? 'succeeded' : final ? 'failed' : 'retry';
    await this.record(row, result, outcome);
    return outcome;
  }

  private async send(url: URL, headers: Record<string, string>, body: string): Promise<PostResult> {
    let addresses;
    try {
      addresses = await resolveTarget(url, this.config.outboundWebhooksAllowPrivate);
    } catch (error) {
      const message =
        error instanceof ForbiddenTargetError ? error.message : (error as Error).message;
      return { statusCode: null, excerpt: null, error: message.slice(0, 1000), latencyMs: 0 };
    }
    return postTo(url, addresses[0], headers, body, this.config.OUTBOUND_WEBHOOK_TIMEOUT_MS);
  }

  /** The attempt, the delivery's state and the endpoint's failure clock, in one transaction. */
  private async record(
    row: DeliveryRow,
    result: PostResult,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const succeeded = outcome === 'succeeded';
    const error =
      result.error ?? (succeeded ? null : `HTTP ${result.statusCode ?? '?'} from the endpoint`);
    let disabled = false;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_delivery_attempts
           (delivery_id, status_code, latency_ms, response_excerpt, error, succeeded)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, result.statusCode, result.latencyMs, result.excerpt, error, succeeded],
      );
      await manager.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2::varchar, last_status_code = $3,
                last_error = $4, last_attempt_at = now(),
                completed_at = CASE WHEN $2::varchar IN ('succeeded', 'failed') THEN now() END
          WHERE id = $1`,
        [row.id, outcome === 'retry' ? 'retrying' : outcome, result.statusCode, error],
      );
      if (succeeded) {
        await manager.query(
          `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
          [row.endpoint_id],
        );
        return;
      }
      const [endpoint]: { disabled: boolean }[] = await manager.query(
        `UPDATE webhook_endpoints
            SET failing_since = coalesce(failing_since, now()),
                enabled = CASE WHEN failing_since < now() - make_interval(days => $2::int) THEN false ELSE enabled END,
                disabled_at = CASE WHEN failing_since < now() - make_interval(days => $2::int) AND enabled THEN now() ELSE disabled_at END,
                disabled_reason = CASE WHEN failing_since < now() - make_interval(days => $2::int) AND enabled
                  THEN 'Every delivery failed for ' || $2::int || ' days: disabled by Switchboard'
                  ELSE disabled_reason END
          WHERE id = $1
          RETURNING (NOT enabled) AS disabled`,
        [row.endpoint_id, this.config.OUTBOUND_WEBHOOK_DISABLE_AFTER_DAYS],
      );
      disabled = endpoint?.disabled ?? false;
    });
    if (disabled) {
      this.logger.warn(
        `outbound webhook endpoint ${row.endpoint_id} disabled after failing for days`,
      );
      await this.directory.changed();
    }
  }
}
