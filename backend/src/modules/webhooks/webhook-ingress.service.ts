import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { callKeysOf } from '../calls/call-progress.service';
import {
  IncomingWebhook,
  NormalizedEvent,
  ProviderName,
  WebhookParseError,
} from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { WebhookEventWriter } from './webhook-event-writer';

export interface IngressResult {
  id: string | null;
  duplicate: boolean;
}

const SECRET_HEADERS = new Set([
  'authorization',
  'cookie',
  'x-twilio-signature',
  'webhook-signature',
]);

/** Keeps what a provider sent, minus credentials: secret headers and the URL's token. */
function storableHeaders(headers: IncomingWebhook['headers']): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    kept[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
  }
  return kept;
}

/** PostgreSQL text cannot hold NUL: it is kept as U+FFFD (no provider sends one on purpose). */
function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function storableUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/i, '$1[redacted]');
}

/**
 * Webhook ingress: verify → INSERT into webhook_events (the unique dedupe key makes a duplicate a
 * no-op) → enqueue the event id → answer. Nothing else happens in the request.
 */
@Injectable()
export class WebhookIngressService {
  private readonly logger = new Logger(WebhookIngressService.name);

  constructor(
    private readonly writer: WebhookEventWriter,
    private readonly enqueuer: WebhookEnqueuer,
    private readonly providers: ProviderRegistry,
    config: AppConfig,
  ) {
    this.callHint = !config.simpleHotPath('callHint');
  }

  /** Whether jobs carry their call's keys (HOT_PATH_SIMPLE=callHint leaves them out, for A/B runs). */
  private readonly callHint: boolean;

  async receive(
    provider: ProviderName,
    request: IncomingWebhook,
    unparseable?: string,
  ): Promise<IngressResult> {
    const adapter = this.providers.get(provider);
    if (!adapter.isEnabled()) throw new NotFoundException(`Provider ${provider} is not configured`);
    if (!adapter.verifyWebhook(request))
      throw new ForbiddenException(`Webhook signature or token is not valid`);

    let event: NormalizedEvent;
    try {
      if (unparseable) throw new WebhookParseError(unparseable);
      event = adapter.parseWebhook(request);
    } catch (error) {
      if (!(error instanceof WebhookParseError)) throw error;
      // Verified but malformed: keep it as rejected (nothing a provider sent is thrown away), answer 400.
      await this.store(
        provider,
        request,
        `rejected:${createHash('sha256').update(request.rawBody).digest('hex')}`,
        {
          state: 'rejected',
          lastError: error.message,
        },
      );
      throw new BadRequestException(error.message);
    }

    const id = await this.store(provider, request, event.dedupeKey);
    if (!id) return { id: null, duplicate: true };
    try {
      await this.enqueuer.enqueue(
        this.callHint ? { eventId: id, call: callKeysOf(provider, event) } : { eventId: id },
      );
    } catch (error) {
      // Stored durably: the sweeper enqueues it once Redis is back.
      this.logger.warn(`webhook event ${id} stored but not enqueued: ${(error as Error).message}`);
    }
    return { id, duplicate: false };
  }

  /** INSERT … ON CONFLICT DO NOTHING (batched with concurrent requests); the new id, or null for a duplicate. */
  private store(
    provider: ProviderName,
    request: IncomingWebhook,
    dedupeKey: string,
    rejected?: { state: 'rejected'; lastError: string },
  ): Promise<string | null> {
    return this.writer.insert({
      provider,
      dedupeKey: storableText(dedupeKey.slice(0, 300)),
      url: storableUrl(request.url),
      headers: JSON.stringify(storableHeaders(request.headers)),
      contentType: request.contentType.slice(0, 200) || null,
      rawBody: storableText(request.rawBody),
      state: rejected?.state ?? 'received',
      lastError: rejected?.lastError ?? null,
    });
  }
}
