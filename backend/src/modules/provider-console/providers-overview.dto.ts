import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProviderWebhookUrlView {
  @ApiProperty({ example: 'Status callback' }) label: string;
  @ApiProperty({ description: 'The URL to paste, secrets in it masked' }) url: string;
  @ApiProperty({
    description: 'Whether the URL can be copied as shown (false when a secret in it is masked)',
  })
  copyable: boolean;
  @ApiProperty({
    description: 'Where it goes in the provider’s console, or that Switchboard sets it',
  })
  note: string;
}

export class ProviderSecretView {
  @ApiProperty({ example: 'TWILIO_AUTH_TOKEN' }) name: string;
  @ApiProperty() set: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, example: '••••a1b2' }) masked: string | null;
}

export class ProviderWebhookCountsView {
  @ApiProperty({ description: "The organization's webhooks received in the last 24 h" })
  received: number;
  @ApiProperty({
    description:
      'Requests verified but malformed in the last 24 h, across the platform (they belong to no organization)',
  })
  rejected: number;
  @ApiProperty({ description: "The organization's dead letters among the last 24 h's webhooks" })
  deadLettered: number;
}

export class ProviderOverviewView {
  @ApiProperty({ example: 'twilio' }) name: string;
  @ApiProperty({ example: 'Twilio' }) label: string;
  @ApiProperty({ enum: ['calls', 'payments'] }) kind: 'calls' | 'payments';
  @ApiProperty() configured: boolean;
  @ApiProperty({ type: [String], description: 'Settings still missing for it to be configured' })
  missing: string[];
  @ApiProperty({ type: [ProviderWebhookUrlView] }) webhooks: ProviderWebhookUrlView[];
  @ApiProperty({ type: [ProviderSecretView] }) secrets: ProviderSecretView[];
  @ApiProperty({ type: ProviderWebhookCountsView }) counts: ProviderWebhookCountsView;
}

export class ProvidersOverview {
  @ApiProperty({ description: 'PUBLIC_BASE_URL, which every webhook URL starts with' })
  publicBaseUrl: string;
  @ApiProperty({ description: 'Start of the counting window (24 h ago)' }) since: string;
  @ApiProperty({ type: [ProviderOverviewView] }) providers: ProviderOverviewView[];
}
