import { Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { normalizePhone } from '../../common/phone';
import { AuthUser } from '../auth/auth-user';
import { OrganizationPhones } from '../auth/organization-phones';
import { User } from '../auth/entities/user.entity';
import { IncomingWebhook, WebhookParseError } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import {
  buildDialTwiml,
  buildRefusalTwiml,
  createVoiceAccessToken,
  parseVoiceRequest,
  twilioIdentityForUser,
} from '../providers/twilio/twilio-voice';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { CallsService } from './calls.service';
import { CallBillingService } from '../billing/call-billing.service';
import { PaymentRequiredException } from '../../common/errors';
import { WalletService } from '../wallet/wallet.service';
import { ContactsService } from '../contacts/contacts.service';
import { DncService } from '../dnc/dnc.service';
import { checkCallingHours } from './calling-hours';
import { Call } from './entities/call.entity';
import { CallerId } from './entities/caller-id.entity';
import { VoiceConfigView, VoiceTokenView } from './voice.dto';

const TOKEN_TTL_SECONDS = 3600;

/** Browser calls through Twilio: the Voice SDK token, and the TwiML App's voice webhook. */
@Injectable()
export class VoiceService {
  private readonly logger = new Logger(VoiceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly providers: ProviderRegistry,
    private readonly calls: CallsService,
    private readonly realtime: RealtimePublisher,
    private readonly billing: CallBillingService,
    private readonly wallets: WalletService,
    private readonly contacts: ContactsService,
    private readonly dnc: DncService,
  ) {}

  private get browserCallsEnabled(): boolean {
    const c = this.config;
    return Boolean(
      this.providers.get('twilio').isEnabled() &&
      c.TWILIO_API_KEY_SID &&
      c.TWILIO_API_KEY_SECRET &&
      c.TWILIO_TWIML_APP_SID,
    );
  }

  voiceConfig(caller: AuthUser): VoiceConfigView {
    const enabled = this.browserCallsEnabled;
    return {
      twilio: { enabled, identity: enabled ? twilioIdentityForUser(caller.id) : null },
      providers: this.providers.enabled(),
    };
  }

  token(caller: AuthUser): VoiceTokenView {
    if (!this.browserCallsEnabled) {
      throw new ServiceUnavailableException(
        'Browser calling is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET and TWILIO_TWIML_APP_SID',
      );
    }
    const identity = twilioIdentityForUser(caller.id);
    const token = createVoiceAccessToken({
      accountSid: this.config.TWILIO_ACCOUNT_SID!,
      apiKeySid: this.config.TWILIO_API_KEY_SID!,
      apiKeySecret: this.config.TWILIO_API_KEY_SECRET!,
      twimlAppSid: this.config.TWILIO_TWIML_APP_SID!,
      identity,
      ttlSeconds: TOKEN_TTL_SECONDS,
    });
    return { token, identity, expiresInSeconds: TOKEN_TTL_SECONDS };
  }

  /**
   * The TwiML App's voice URL: Twilio asks what to do with the agent's browser leg. Creates the call
   * for the agent's organization and answers `<Dial><Number statusCallback=…?callId=…>`.
   * Verification failures throw (403); anything else answers TwiML that says why and hangs up.
   */
  async answerVoiceRequest(request: IncomingWebhook): Promise<string> {
    const twilio = this.providers.get('twilio');
    if (!twilio.isEnabled()) throw new NotFoundException('Provider twilio is not configured');
    if (!twilio.verifyWebhook(request)) throw new ForbiddenTwilioRequest();

    let voice;
    try {
      voice = parseVoiceRequest(request.body);
    } catch (error) {
      if (error instanceof WebhookParseError)
        return buildRefusalTwiml('This call could not be placed. Goodbye.');
      throw error;
    }
    const agent = voice.userId
      ? await this.dataSource
          .getRepository(User)
          .findOne({ where: { id: voice.userId, active: true }, relations: { organization: true } })
      : null;
    // Operators have no organization; a suspended organization places no calls.
    const organizationId = agent?.organizationId;
    if (!agent || !organizationId || agent.organization?.suspendedAt) {
      this.logger.warn(
        `voice request from unknown, inactive or suspended identity ${voice.identity}`,
      );
      return buildRefusalTwiml('Your account cannot place calls. Goodbye.');
    }
    const phones = await OrganizationPhones.of(this.dataSource.manager, organizationId);
    const to = phones.read(voice.to);
    if (!to) return buildRefusalTwiml('The number you dialed is not valid. Goodbye.');
    const dncRefusal = await this.dnc.refusalFor(organizationId, to.e164, {
      provider: 'twilio',
      userId: agent.id,
    });
    if (dncRefusal) return buildRefusalTwiml(`${dncRefusal}. This call cannot be placed. Goodbye.`);
    if (this.config.CALLING_HOURS !== 'off') {
      const hours = checkCallingHours(to.e164, to.country, new Date());
      if (hours.reason) {
        return buildRefusalTwiml(
          `This call cannot be placed now: it is ${hours.localTime} where you are calling, outside the calling hours ${hours.hours.start} to ${hours.hours.end}. Goodbye.`,
        );
      }
    }
    const callerId = voice.callerId ?? this.config.TWILIO_CALLER_ID;
    if (!callerId)
      return buildRefusalTwiml('No caller ID is configured for browser calls. Goodbye.');
    // A caller ID the browser names must be one of its organization's (the Twilio account is shared).
    const requested = voice.callerId
      ? (normalizePhone(voice.callerId)?.e164 ?? voice.callerId)
      : null;
    if (
      requested &&
      !(await this.dataSource
        .getRepository(CallerId)
        .existsBy({ organizationId: organizationId, number: requested }))
    ) {
      return buildRefusalTwiml('This caller ID is not allowed for your organization. Goodbye.');
    }

    // Twilio retries a voice request it got no answer to: the parent CallSid makes it idempotent.
    const existing = await this.dataSource
      .getRepository(Call)
      .findOne({ where: { provider: 'twilio', parentProviderCallId: voice.callSid } });
    let call = existing;
    if (!call) {
      try {
        // The call and its hold (the longest affordable call: <Dial timeLimit>) commit together.
        call = await this.dataSource.transaction(async (manager) => {
          const created = await manager.save(
            manager.create(Call, {
              organizationId: organizationId,
              agentId: agent.id,
              provider: 'twilio',
              parentProviderCallId: voice.callSid,
              direction: 'outbound',
              fromNumber: callerId,
              toNumber: to.e164,
              country: to.country,
              status: 'initiated',
              contactId: await this.contacts.idForPhone(manager, organizationId, to.e164),
              metadata: { browser: true },
            }),
          );
          await this.billing.reserve(manager, created);
          return created;
        });
      } catch (error) {
        if (error instanceof PaymentRequiredException) {
          return buildRefusalTwiml(
            `${String(error.message).split(':')[0]}. This call cannot be placed. Goodbye.`,
          );
        }
        throw error;
      }
      this.realtime.publish({
        event: 'call:created',
        organizationId: organizationId,
        userId: agent.id,
        payload: await this.calls.view(this.dataSource.manager, call.id),
      });
      await this.wallets.publishBalance(organizationId);
    }
    return buildDialTwiml({
      callerId,
      to: to.e164,
      timeLimitSeconds: call.timeLimitSeconds ?? 1,
      statusCallbackUrl: this.providers.statusCallbackUrl('twilio', call.id),
      recordingStatusCallbackUrl: this.providers.recordingCallbackUrl('twilio', call.id),
    });
  }
}

export class ForbiddenTwilioRequest extends Error {
  override name = 'ForbiddenTwilioRequest';
}
