import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { CallsService } from '../calls/calls.service';
import { parseRange } from './recording-urls';
import { RecordingStorage } from './recording-storage';

export type RecordingResponse =
  | { status: 200 | 206; headers: Record<string, string>; body: Readable }
  | { status: 416; headers: Record<string, string>; body: null };

/** Streams a call's stored recording, with single byte ranges (seek in a player). */
@Injectable()
export class RecordingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calls: CallsService,
    private readonly storage: RecordingStorage,
  ) {}

  /** As the caller may see the call (agents: their own): 404 for anyone else's. */
  async forCaller(
    caller: AuthUser,
    callId: string,
    range: string | undefined,
    download: boolean,
  ): Promise<RecordingResponse> {
    await this.calls.find(caller, callId);
    return this.stream(callId, range, download);
  }

  /** For a signed URL (already checked). */
  async stream(
    callId: string,
    rangeHeader: string | undefined,
    download: boolean,
  ): Promise<RecordingResponse> {
    const [row]: {
      recording_status: string | null;
      recording_storage_key: string | null;
      recording_content_type: string | null;
      recording_retention_days: number | null;
    }[] = await this.dataSource.query(
      `SELECT recording_status, recording_storage_key, recording_content_type, recording_retention_days
         FROM call_outcomes WHERE call_id = $1`,
      [callId],
    );
    if (!row?.recording_status) throw new NotFoundException(`Call ${callId} has no recording`);
    if (row.recording_status !== 'stored' || !row.recording_storage_key) {
      throw new NotFoundException(
        row.recording_status === 'pending'
          ? `The recording of call ${callId} is still being copied from its provider`
          : row.recording_status === 'expired'
            ? `The recording of call ${callId} was deleted after ${row.recording_retention_days ?? '?'} days (retention policy)`
            : `The recording of call ${callId} could not be copied from its provider`,
      );
    }
    const size = await this.storage.size(row.recording_storage_key);
    if (size === null)
      throw new NotFoundException(`The recording of call ${callId} is no longer stored`);
    const extension = row.recording_storage_key.split('.').pop() ?? 'bin';
    const headers: Record<string, string> = {
      'Content-Type': row.recording_content_type ?? 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, max-age=300',
      'Content-Disposition': `${download ? 'attachment' : 'inline'}; filename="call-${callId}.${extension}"`,
    };
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      return {
        status: 416,
        headers: { ...headers, 'Content-Range': `bytes */${size}` },
        body: null,
      };
    }
    if (!range) {
      return {
        status: 200,
        headers: { ...headers, 'Content-Length': String(size) },
        body: this.storage.read(row.recording_storage_key),
      };
    }
    return {
      status: 206,
      headers: {
        ...headers,
        'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
        'Content-Length': String(range.end - range.start + 1),
      },
      body: this.storage.read(row.recording_storage_key, range),
    };
  }
}
