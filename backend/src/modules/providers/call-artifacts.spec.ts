import { loadConfig } from '../../config/app-config';
import { loadFixture, loadTwilioFixture } from '../../../test/fixtures/providers/load-fixture';
import { BolnaAdapter } from './bolna/bolna.adapter';
import { parseSpeakerLines } from './call-artifacts';
import { ExotelAdapter } from './exotel/exotel.adapter';
import { TwilioAdapter } from './twilio/twilio.adapter';
import { buildDialTwiml } from './twilio/twilio-voice';
import {
  simulatedRecording,
  simulatedRecordingSize,
  simulatedTranscript,
} from './simulator/simulator-outcome';

const bolna = new BolnaAdapter(
  loadConfig({ BOLNA_API_KEY: 'k', BOLNA_AGENT_ID: 'a', BOLNA_WEBHOOK_SECRET: 's' }),
);
const exotel = new ExotelAdapter(
  loadConfig({
    EXOTEL_ACCOUNT_SID: 'acmeconsole1',
    EXOTEL_API_KEY: 'key',
    EXOTEL_API_TOKEN: 'token',
    EXOTEL_CALLER_ID: '08047112233',
    EXOTEL_WEBHOOK_TOKEN: 'hook',
  }),
);
const AUTH_TOKEN = '5f2b0c9a7e4d4c3b8a1f6e2d9c8b7a61';
const PUBLIC_BASE_URL = 'https://switchboard.example.com';
const twilio = new TwilioAdapter(
  loadConfig({
    TWILIO_ACCOUNT_SID: 'AC55b47e1bd7721b5f779ed06721903800',
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL,
  }),
);

describe('call artifacts from the providers (real-format fixtures)', () => {
  it('Bolna completed: transcript turns, summary, extracted data, recording, hangup_by; final', () => {
    const event = bolna.parseWebhook(loadFixture('bolna/with-summary-execution-completed.json'));
    expect(event.final).toBe(true);
    expect(event.artifacts).toEqual({
      recording: {
        url: 'https://bolna-recordings-india.s3.ap-south-1.amazonaws.com/plivo/7d970954-f0ad-492e-90bd-3c6b9e060f7b.mp3',
        contentType: 'audio/mpeg',
        durationSeconds: 95,
      },
      transcript: [
        {
          speaker: 'agent',
          text: 'Hello, this is Riya from Acme Support. Is this a good time to talk?',
        },
        { speaker: 'callee', text: 'Yes, go ahead.' },
        {
          speaker: 'agent',
          text: 'You asked for a callback about your order. Would you like a delivery update by SMS?',
        },
        { speaker: 'callee', text: 'Yes please.' },
        { speaker: 'agent', text: 'Done. Thank you, have a good day!' },
      ],
      summary: expect.stringContaining('delivery update'),
      extractedData: { interested: true, wants_sms_update: true },
      hangupBy: 'Callee',
    });
  });

  it('Bolna call-disconnected is neither final nor a source of artifacts (its transcript may be partial)', () => {
    const event = bolna.parseWebhook(loadFixture('bolna/execution-call-disconnected.json'));
    expect(event.status).toBe('completed');
    expect(event.final).toBeUndefined();
    expect(event.artifacts).toBeUndefined();
  });

  it('Bolna busy is final, with no artifacts but who hung up when Bolna says', () => {
    const event = bolna.parseWebhook(loadFixture('bolna/execution-busy.json'));
    expect(event.final).toBe(true);
    expect(event.artifacts?.recording).toBeUndefined();
    expect(event.artifacts?.transcript).toBeUndefined();
  });

  it('Exotel terminal callback (JSON and form): the RecordingUrl with the talk time; final', () => {
    for (const file of ['exotel/status-completed.json', 'exotel/status-completed.form.txt']) {
      const event = exotel.parseWebhook(
        loadFixture(file, { url: '/api/webhooks/exotel/status?token=hook' }),
      );
      expect(event.final).toBe(true);
      expect(event.artifacts).toEqual({
        recording: {
          url: 'https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/acmeconsole1/308709479de1d2c28738bc150b909fee.mp3',
          contentType: 'audio/mpeg',
          durationSeconds: 87,
        },
      });
    }
  });

  it('Exotel answered callback is not final', () => {
    const event = exotel.parseWebhook(
      loadFixture('exotel/status-answered.json', { url: '/api/webhooks/exotel/status?token=hook' }),
    );
    expect(event.final).toBeUndefined();
  });

  it('Twilio recordingStatusCallback (signed like the status callback): the .mp3 of the recording, final, no status', () => {
    const url = '/api/webhooks/twilio/recording?callId=0f7c7a0e-4a52-4df4-9d33-51a52ab0b3b5';
    const request = loadTwilioFixture('twilio/recording-completed.form.txt', {
      url,
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE_URL,
    });
    expect(twilio.verifyWebhook(request)).toBe(true);
    const event = twilio.parseWebhook(request);
    expect(event).toMatchObject({
      status: null,
      rawStatus: 'recording-completed',
      recordingOnly: true,
      final: true,
      callId: '0f7c7a0e-4a52-4df4-9d33-51a52ab0b3b5',
      parentProviderCallId: 'CA476bdb6ce5051580fee6f095d8fdc9e0',
      dedupeKey: 'recording:RE3f5b2d7c1a9e8f4b6c0d2e1a7b9c8d54:completed',
    });
    expect(event.artifacts).toEqual({
      recording: {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC55b47e1bd7721b5f779ed06721903800/Recordings/RE3f5b2d7c1a9e8f4b6c0d2e1a7b9c8d54.mp3',
        contentType: 'audio/mpeg',
        durationSeconds: 94,
        providerRecordingId: 'RE3f5b2d7c1a9e8f4b6c0d2e1a7b9c8d54',
      },
    });
  });

  it('Twilio absent recording: final, says why there is none', () => {
    const event = twilio.parseWebhook(
      loadTwilioFixture('twilio/recording-absent.form.txt', {
        url: '/api/webhooks/twilio/recording?callId=x',
        authToken: AUTH_TOKEN,
        publicBaseUrl: PUBLIC_BASE_URL,
      }),
    );
    expect(event.final).toBe(true);
    expect(event.artifacts).toEqual({
      recordingUnavailable: 'Twilio recording RE3f5b2d7c1a9e8f4b6c0d2e1a7b9c8d54 absent',
    });
  });

  it('Twilio: a completed status waits for the recording; busy is final at once', () => {
    const options = {
      url: '/api/webhooks/twilio/status?callId=x',
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE_URL,
    };
    expect(
      twilio.parseWebhook(loadTwilioFixture('twilio/status-completed.form.txt', options)).final,
    ).toBeUndefined();
    expect(
      twilio.parseWebhook(loadTwilioFixture('twilio/status-busy.form.txt', options)).final,
    ).toBe(true);
  });

  it("Twilio's <Dial> records from the answer, one channel per party, reporting to the recording callback", () => {
    const twiml = buildDialTwiml({
      callerId: '+14155550142',
      to: '+14155550100',
      timeLimitSeconds: 60,
      statusCallbackUrl: 'https://x.test/api/webhooks/twilio/status?callId=c',
      recordingStatusCallbackUrl: 'https://x.test/api/webhooks/twilio/recording?callId=c',
    });
    expect(twiml).toContain('record="record-from-answer-dual"');
    expect(twiml).toContain(
      'recordingStatusCallback="https://x.test/api/webhooks/twilio/recording?callId=c"',
    );
  });
});

describe('transcript text', () => {
  it('continues a turn over lines without a speaker', () => {
    expect(parseSpeakerLines('assistant: Hi\nthere\nuser: Hello\n')).toEqual([
      { speaker: 'agent', text: 'Hi\nthere' },
      { speaker: 'callee', text: 'Hello' },
    ]);
  });
});

describe('the simulator outcome', () => {
  it('spreads its transcript over the talk time, in order', () => {
    const turns = simulatedTranscript(40);
    expect(turns.length).toBeGreaterThan(2);
    expect(turns[0].start_seconds).toBe(0);
    for (let i = 1; i < turns.length; i++)
      expect(turns[i].start_seconds).toBeGreaterThan(turns[i - 1].start_seconds);
    expect(turns.at(-1)!.start_seconds).toBeLessThan(40);
  });

  it('generates a PCM WAV of the call length', () => {
    const wav = simulatedRecording(3);
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(wav.length).toBe(simulatedRecordingSize(3));
    // bytes per second × seconds = data size
    expect(wav.readUInt32LE(40)).toBe(3 * 8000 * 2);
  });
});
