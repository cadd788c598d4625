import { serializeNormalizedEvent } from './stored-normalized-event';
import { redactRecordingUrls } from './redact-recording-urls';

const URL = 'https://s3.example/exotelrecordings/a/b.mp3?X-Amz-Signature=abc';

describe('redactRecordingUrls', () => {
  it('redacts JSON, form and multipart recording URLs, and nothing else', () => {
    const json = JSON.stringify({
      CallSid: 'x',
      RecordingUrl: URL,
      telephony_data: { recording_url: URL, to_number: '+91' },
    });
    const redacted = redactRecordingUrls(json);
    expect(redacted).not.toContain('s3.example');
    expect(JSON.parse(redacted)).toEqual({
      CallSid: 'x',
      RecordingUrl: '[redacted]',
      telephony_data: { recording_url: '[redacted]', to_number: '+91' },
    });
    const form = `CallSid=x&RecordingUrl=${encodeURIComponent(URL)}&RecordingSid=RE1`;
    expect(redactRecordingUrls(form)).toBe(
      'CallSid=x&RecordingUrl=%5Bredacted%5D&RecordingSid=RE1',
    );
    const multipart = `--b\r\nContent-Disposition: form-data; name="RecordingUrl"\r\n\r\n${URL}\r\n--b\r\nContent-Disposition: form-data; name="CallSid"\r\n\r\nx\r\n--b--`;
    const out = redactRecordingUrls(multipart);
    expect(out).not.toContain('s3.example');
    expect(out).toContain('name="CallSid"\r\n\r\nx');
  });

  it('redacts a stored reconciliation event', () => {
    const stored = serializeNormalizedEvent({
      dedupeKey: 'k',
      providerCallId: 'p',
      rawStatus: 'completed',
      status: 'completed',
      occurredAt: new Date(),
      facts: { recordingUrl: URL },
      artifacts: { recording: { url: URL, contentType: 'audio/mpeg' }, summary: 'ok' },
    });
    expect(redactRecordingUrls(stored)).not.toContain('s3.example');
  });
});
