import { RequestWithRawBody, UNPARSEABLE_BODY } from '../../common/body-parsers';
import { IncomingWebhook } from '../providers/provider-adapter';

/** The provider-agnostic view of a webhook request; `unparseable` says why its body could not be read. */
export function toIncomingWebhook(request: RequestWithRawBody): {
  incoming: IncomingWebhook;
  unparseable?: string;
} {
  const body = (request.body ?? {}) as Record<string | symbol, unknown>;
  const unparseable = body[UNPARSEABLE_BODY] as string | undefined;
  return {
    incoming: {
      url: request.url,
      query: Object.fromEntries(
        Object.entries((request.query ?? {}) as Record<string, unknown>).map(([key, value]) => [
          key,
          String(value),
        ]),
      ),
      headers: request.headers,
      contentType: String(request.headers['content-type'] ?? ''),
      rawBody: request.rawBody ? request.rawBody.toString('utf8') : '',
      body: unparseable ? {} : (body as Record<string, unknown>),
    },
    unparseable,
  };
}
