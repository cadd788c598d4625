import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/modules/auth/entities/user.entity';
import { Call } from '../../src/modules/calls/entities/call.entity';
import { TEST_TWILIO } from '../support/provider-webhooks';
import { createOrganization, loginAs, request, TestUser } from '../support/test-app';
import { RunningStack, startStack } from '../support/test-worker';

const VOICE = {
  TWILIO_API_KEY_SID: 'SK00000000000000000000000000000000',
  TWILIO_API_KEY_SECRET: 'api-key-secret',
  TWILIO_TWIML_APP_SID: 'AP00000000000000000000000000000000',
  TWILIO_CALLER_ID: '+14155550142',
};

describe('browser calls through Twilio: access token and the TwiML App voice webhook', () => {
  let stack: RunningStack;
  let dataSource: DataSource;
  let users: Record<UserRole, TestUser>;

  beforeAll(async () => {
    stack = await startStack(VOICE);
    dataSource = stack.api.dataSource;
    users = (await createOrganization(dataSource)).users;
  });
  afterAll(() => stack.close());

  const voiceRequest = (
    params: Record<string, string>,
    signFor = `${stack.env.PUBLIC_BASE_URL}/api/webhooks/twilio/voice`,
  ) =>
    fetch(`${stack.api.baseUrl}/api/webhooks/twilio/voice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          TEST_TWILIO.TWILIO_AUTH_TOKEN,
          signFor,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    });

  it('tells the console that browser calling is configured and issues a Voice token for the agent', async () => {
    const token = await loginAs(stack.api.baseUrl, users.agent);
    const config = await request(stack.api.baseUrl, 'GET', '/api/voice/config', { token });
    const identity = users.agent.id.replace(/-/g, '');
    expect(config.body).toEqual({
      twilio: { enabled: true, identity },
      providers: expect.arrayContaining(['twilio', 'simulator']),
    });

    const issued = await request(stack.api.baseUrl, 'POST', '/api/voice/token', { token });
    expect(issued.status).toBe(200);
    const claims = JSON.parse(Buffer.from(issued.body.token.split('.')[1], 'base64url').toString());
    expect(claims.grants.identity).toBe(identity);
    expect(claims.grants.voice.outgoing.application_sid).toBe(VOICE.TWILIO_TWIML_APP_SID);
  });

  it("creates the call for the agent's organization and answers <Dial><Number statusCallback=…?callId=…>", async () => {
    const params = {
      CallSid: `CA${Date.now()}parent`,
      AccountSid: TEST_TWILIO.TWILIO_ACCOUNT_SID,
      From: `client:${users.agent.id.replace(/-/g, '')}`,
      To: '(415) 555-0100',
      CallStatus: 'ringing',
      Direction: 'inbound',
    };
    const response = await voiceRequest(params);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    const twiml = await response.text();
    const call = await dataSource
      .getRepository(Call)
      .findOneByOrFail({ parentProviderCallId: params.CallSid });
    expect(call).toMatchObject({
      organizationId: users.agent.organizationId,
      agentId: users.agent.id,
      provider: 'twilio',
      toNumber: '+14155550100',
      status: 'initiated',
    });
    expect(twiml).toContain(`<Dial callerId="${VOICE.TWILIO_CALLER_ID}" timeLimit="3600"`);
    // Recorded from the answer; the recording is reported to its own signed callback (#16).
    expect(twiml).toContain('record="record-from-answer-dual"');
    expect(twiml).toContain(
      `recordingStatusCallback="${stack.env.PUBLIC_BASE_URL}/api/webhooks/twilio/recording?callId=${call.id}"`,
    );
    expect(twiml).toContain(
      `statusCallback="${stack.env.PUBLIC_BASE_URL}/api/webhooks/twilio/status?callId=${call.id}"`,
    );
    expect(twiml).toContain('statusCallbackEvent="initiated ringing answered completed"');
    expect(twiml).toContain('>+14155550100</Number>');

    // Twilio retrying the same voice request does not create a second call.
    await voiceRequest(params);
    expect(
      await dataSource.getRepository(Call).countBy({ parentProviderCallId: params.CallSid }),
    ).toBe(1);
  });

  it('answers an unknown identity with TwiML that says so and hangs up, and a bad signature with 403', async () => {
    const refused = await voiceRequest({
      CallSid: 'CAx',
      From: 'client:someone_else',
      To: '+14155550100',
    });
    expect(await refused.text()).toMatch(
      /<Say>Your account cannot place calls\. Goodbye\.<\/Say><Hangup\/><\/Response>/,
    );
    const forged = await voiceRequest(
      { CallSid: 'CAy', From: `client:${users.agent.id.replace(/-/g, '')}`, To: '+14155550100' },
      'https://elsewhere.example/api/webhooks/twilio/voice',
    );
    expect(forged.status).toBe(403);
  });
});
