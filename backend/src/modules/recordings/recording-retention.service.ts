import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { RecordingStorage } from './recording-storage';

/** Recordings deleted per statement (the job loops until none is left). */
const EXPIRE_BATCH = 200;

/**
 * Recording retention (RECORDING_RETENTION_DAYS, 0 = keep forever): deletes the stored copies of
 * recordings stored longer ago than the period and marks them `expired`, with when and after how
 * many days (the call's detail says "Recording deleted after N days"). Run hourly by the worker's
 * maintenance queue. The transcript, summary and the call itself are kept.
 */
@Injectable()
export class RecordingRetentionService {
  private readonly logger = new Logger(RecordingRetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly storage: RecordingStorage,
  ) {}

  /** Returns how many recordings were deleted. */
  async expire(now = new Date()): Promise<number> {
    const days = this.config.RECORDING_RETENTION_DAYS;
    if (!days) return 0;
    const before = new Date(now.getTime() - days * 86_400_000);
    let expired = 0;
    for (;;) {
      // (A SELECT over the UPDATE: TypeORM answers an UPDATE … RETURNING as [rows, count].)
      // Marked first, files deleted after the commit: a file whose deletion fails is left on disk
      // (logged), never a row pointing at a file that is gone.
      const rows: { call_id: string; recording_storage_key: string | null }[] =
        await this.dataSource.query(
          `WITH due AS (
             SELECT call_id, recording_storage_key FROM call_outcomes
              WHERE recording_status = 'stored' AND recording_stored_at < $1
              ORDER BY recording_stored_at LIMIT ${EXPIRE_BATCH}
              FOR UPDATE SKIP LOCKED
           ), expired AS (
             UPDATE call_outcomes o SET recording_status = 'expired', recording_storage_key = NULL,
                  recording_size_bytes = NULL, recording_expired_at = now(),
                  recording_retention_days = $2, updated_at = now()
             FROM due WHERE o.call_id = due.call_id
             RETURNING o.call_id, due.recording_storage_key
           )
           SELECT call_id, recording_storage_key FROM expired`,
          [before, days],
        );
      for (const row of rows) {
        if (!row.recording_storage_key) continue;
        try {
          await this.storage.remove(row.recording_storage_key);
        } catch (error) {
          this.logger.warn(
            `recording of call ${row.call_id} expired, its file not deleted: ${(error as Error).message}`,
          );
        }
      }
      expired += rows.length;
      if (rows.length < EXPIRE_BATCH) break;
    }
    if (expired) this.logger.log(`deleted ${expired} recording(s) older than ${days} days`);
    return expired;
  }
}
