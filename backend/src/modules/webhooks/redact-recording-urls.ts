/**
 * A stored webhook body with the providers' recording URLs replaced by `[redacted]`: those are
 * often presigned links that open the recording to anyone holding them, and no API answer may
 * carry them (the recording is served from Switchboard's copy). Covers JSON (`"recording_url":
 * "…"`, `"RecordingUrl": "…"`, reconciliation's `"url": "…"` inside `"recording"`), URL-encoded
 * forms (`RecordingUrl=…`) and multipart bodies (`name="RecordingUrl"` parts).
 */
const KEY = String.raw`[A-Za-z_]*[Rr]ecording_?[Uu]rl`;

export function redactRecordingUrls(rawBody: string): string {
  return (
    rawBody
      // JSON string values of recording URL keys.
      .replace(new RegExp(`("${KEY}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g'), '$1"[redacted]"')
      // Reconciliation's stored events: { "recording": { "url": "…" } }.
      .replace(/("recording"\s*:\s*\{[^{}]*?"url"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"[redacted]"')
      // application/x-www-form-urlencoded.
      .replace(new RegExp(`(^|&)(${KEY})=[^&]*`, 'g'), '$1$2=%5Bredacted%5D')
      // multipart/form-data parts.
      .replace(
        new RegExp(`(name="${KEY}"\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n)[^\\r\\n]*`, 'g'),
        '$1[redacted]',
      )
  );
}
