import { Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { BolnaAdapter } from './bolna/bolna.adapter';
import { ExotelAdapter } from './exotel/exotel.adapter';
import { ProviderAdapter, ProviderName } from './provider-adapter';
import { SimulatorAdapter } from './simulator/simulator.adapter';
import { TwilioAdapter } from './twilio/twilio.adapter';

/** Finds a provider's adapter by name, and knows the webhook URL each provider is given. */
@Injectable()
export class ProviderRegistry {
  private readonly adapters: Record<ProviderName, ProviderAdapter>;

  constructor(
    private readonly config: AppConfig,
    twilio: TwilioAdapter,
    exotel: ExotelAdapter,
    bolna: BolnaAdapter,
    simulator: SimulatorAdapter,
  ) {
    this.adapters = { twilio, exotel, bolna, simulator };
  }

  get(name: ProviderName): ProviderAdapter {
    const adapter = this.adapters[name];
    if (!adapter) throw new NotFoundException(`Unknown provider ${name}`);
    return adapter;
  }

  enabled(): ProviderName[] {
    return (Object.keys(this.adapters) as ProviderName[]).filter((name) =>
      this.adapters[name].isEnabled(),
    );
  }

  /** Twilio's recordingStatusCallback for a call (signed like the status callback). */
  recordingCallbackUrl(provider: 'twilio', callId: string): string {
    const target = new URL(`/api/webhooks/${provider}/recording`, this.config.PUBLIC_BASE_URL);
    target.searchParams.set('callId', callId);
    return target.toString();
  }

  /** The status-callback URL a provider is told for a call (the secret token or call id it needs included). */
  statusCallbackUrl(provider: ProviderName, callId: string): string {
    const url = (path: string) => new URL(path, this.config.PUBLIC_BASE_URL);
    switch (provider) {
      case 'twilio': {
        const target = url('/api/webhooks/twilio/status');
        target.searchParams.set('callId', callId);
        return target.toString();
      }
      case 'exotel': {
        const target = url('/api/webhooks/exotel/status');
        target.searchParams.set('token', this.config.EXOTEL_WEBHOOK_TOKEN ?? '');
        target.searchParams.set('callId', callId); // answered events carry no CustomField
        return target.toString();
      }
      case 'bolna':
        return url('/api/webhooks/bolna').toString();
      case 'simulator':
        return url('/api/webhooks/simulator').toString();
    }
  }
}
