import { BadGatewayException, BadRequestException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { normalizePhone } from '../../common/phone';
import { AuthUser } from '../auth/auth-user';
import { Organization } from '../auth/entities/organization.entity';
import { ProviderApiError } from '../providers/provider-adapter';
import { ProviderRegistry } from '../providers/provider-registry';
import { RealtimePublisher } from '../realtime/realtime-publisher';
import { CallView } from './call-view';
import { InitiateCallDto } from './calls.dto';
import { CallsService } from './calls.service';
import { Call } from './entities/call.entity';

/** Places server-side calls (Exotel, Bolna, simulator): record the call, then ask the provider. */
@Injectable()
export class CallPlacementService {
  private readonly logger = new Logger(CallPlacementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly providers: ProviderRegistry,
    private readonly calls: CallsService,
    private readonly realtime: RealtimePublisher,
  ) {}

  async initiate(caller: AuthUser, request: InitiateCallDto): Promise<CallView> {
    const adapter = this.providers.get(request.provider);
    if (!adapter.isEnabled()) {
      throw new BadRequestException(
        `provider ${request.provider} is not configured on this Switchboard`,
      );
    }
    const organization = await this.dataSource
      .getRepository(Organization)
      .findOneByOrFail({ id: caller.organizationId });
    const to = normalizePhone(request.to, organization.defaultCountry);
    if (!to) throw new BadRequestException('to must be a valid phone number, e.g. +14155550100');
    const from = request.from ? normalizePhone(request.from, organization.defaultCountry) : null;
    if (request.from && !from)
      throw new BadRequestException('from must be a valid phone number, e.g. +14155550142');

    const timeLimitSeconds = this.config.MAX_CALL_SECONDS;
    const { id } = await this.dataSource.getRepository(Call).save({
      organizationId: caller.organizationId,
      agentId: caller.id,
      provider: request.provider,
      direction: 'outbound',
      fromNumber: from?.e164 ?? null,
      toNumber: to.e164,
      country: to.country,
      status: 'initiated',
      timeLimitSeconds,
      metadata:
        request.provider === 'simulator'
          ? { scenario: request.scenario ?? 'random', chaos: !!request.chaos }
          : {},
    });
    this.publish('call:created', caller, await this.calls.view(this.dataSource.manager, id));

    try {
      const placed = await adapter.placeCall({
        callId: id,
        to: to.e164,
        from: from?.e164,
        timeLimitSeconds,
        statusCallbackUrl: this.providers.statusCallbackUrl(request.provider, id),
        scenario: request.scenario,
        talkSeconds: request.talkSeconds,
        chaos: request.chaos,
      } as Parameters<typeof adapter.placeCall>[0]);
      // A fast webhook may have named the provider call already; never overwrite it.
      await this.dataSource
        .createQueryBuilder()
        .update(Call)
        .set({
          providerCallId: placed.providerCallId,
          fromNumber: from?.e164 ?? placed.from ?? null,
        })
        .where('id = :id AND provider_call_id IS NULL', { id })
        .execute();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${request.provider} refused call ${id}: ${reason}`);
      await this.dataSource.getRepository(Call).update(
        { id, status: 'initiated' },
        {
          status: 'failed',
          hangupReason: reason.slice(0, 200),
          endedAt: new Date(),
          statusUpdatedAt: new Date(),
        },
      );
      this.publish('call:updated', caller, await this.calls.view(this.dataSource.manager, id));
      if (error instanceof ProviderApiError) {
        throw new BadGatewayException(`${request.provider} could not place the call: ${reason}`);
      }
      throw error;
    }
    return this.calls.view(this.dataSource.manager, id);
  }

  private publish(event: 'call:created' | 'call:updated', caller: AuthUser, call: CallView) {
    this.realtime.publish({
      event,
      organizationId: caller.organizationId,
      userId: caller.id,
      payload: call,
    });
  }
}
