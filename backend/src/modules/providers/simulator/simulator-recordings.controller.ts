import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../../config/app-config';
import { Public } from '../../auth/auth.decorators';
import {
  MAX_SIMULATED_RECORDING_SECONDS,
  simulatedRecording,
  simulatorRecordingSignatureMatches,
} from './simulator-outcome';

/**
 * The simulator's "provider" recording URLs: a generated WAV of the call's length, signed like a
 * provider's presigned link. Switchboard's worker fetches it like any provider recording and
 * serves its own copy; browsers never come here.
 */
@ApiExcludeController()
@Public()
@Controller('simulator/recordings')
export class SimulatorRecordingsController {
  constructor(private readonly config: AppConfig) {}

  @Get(':file')
  recording(
    @Param('file') file: string,
    @Query('seconds') secondsText: string | undefined,
    @Query('signature') signature: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const match = /^(SIM[0-9a-f]{24})\.wav$/.exec(file);
    if (!match) throw new NotFoundException(`No simulator recording ${file}`);
    const seconds = Number(secondsText);
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_SIMULATED_RECORDING_SECONDS)
      throw new BadRequestException(
        `seconds must be a whole number from 1 to ${MAX_SIMULATED_RECORDING_SECONDS}`,
      );
    if (
      !signature ||
      !simulatorRecordingSignatureMatches(
        this.config.SIMULATOR_WEBHOOK_SECRET!,
        match[1],
        seconds,
        signature,
      )
    )
      throw new NotFoundException(`No simulator recording ${file}`);
    const audio = simulatedRecording(seconds);
    return reply
      .header('Content-Type', 'audio/wav')
      .header('Content-Length', String(audio.length))
      .header('Cache-Control', 'no-store')
      .send(audio);
  }
}
