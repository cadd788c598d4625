import { ApiProperty } from '@nestjs/swagger';
import { PROVIDER_NAMES, ProviderName } from '../providers/provider-adapter';

export class TwilioVoiceConfigView {
  @ApiProperty({ description: 'Browser calling through Twilio is configured' }) enabled: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The caller's Twilio client identity, when enabled",
  })
  identity: string | null;
}

/** `GET /api/voice/config`: what this deployment can call with. */
export class VoiceConfigView {
  @ApiProperty({ type: TwilioVoiceConfigView }) twilio: TwilioVoiceConfigView;
  @ApiProperty({
    enum: PROVIDER_NAMES,
    isArray: true,
    description: 'Providers enabled on this deployment; the simulator is always there',
  })
  providers: ProviderName[];
}

/** `POST /api/voice/token`: a Twilio Voice SDK access token for the signed-in user. */
export class VoiceTokenView {
  @ApiProperty({ description: 'Twilio access token (JWT) with a Voice grant' }) token: string;
  @ApiProperty({ description: 'The Twilio client identity it is issued to' }) identity: string;
  @ApiProperty({ description: 'Lifetime of the token' }) expiresInSeconds: number;
}
