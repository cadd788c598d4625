import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryPrepared, SqlWrite } from '../../database/raw-rows';
import { CallArtifacts, NormalizedEvent, TranscriptTurn } from '../providers/provider-adapter';
import type { TimelineEntry } from './call-progress.service';
import { isTerminal } from './call-status';
import { Call } from './entities/call.entity';

/** `expired`: stored, then deleted by the retention job (RECORDING_RETENTION_DAYS). */
export type RecordingStatus = 'pending' | 'stored' | 'failed' | 'expired';

/** A call's outcome as stored (call_outcomes). */
export interface StoredOutcome {
  callId: string;
  organizationId: string;
  transcript: TranscriptTurn[] | null;
  summary: string | null;
  extractedData: Record<string, unknown> | null;
  hangupBy: string | null;
  finalizedAt: Date | null;
  recordingStatus: RecordingStatus | null;
  recordingProviderUrl: string | null;
  recordingStorageKey: string | null;
  recordingContentType: string | null;
  recordingDurationSeconds: number | null;
  recordingSizeBytes: number | null;
  recordingAttempts: number;
  recordingLastError: string | null;
  /** When the retention job deleted the stored file, and after how many days. */
  recordingExpiredAt: Date | null;
  recordingRetentionDays: number | null;
}

/** One event of a batch that carries artifacts or finality, with its (locked) call and timeline row. */
export interface OutcomeEvent {
  call: Call;
  event: NormalizedEvent;
  timeline: TimelineEntry;
}

/** What a batch's outcomes change: one statement, the recordings to copy, the calls to publish. */
export interface OutcomePlan {
  write: SqlWrite | null;
  /** Calls whose recording was just learned: the copy job starts after the commit. */
  recordingsToCopy: string[];
  /** Calls whose outcome changed (artifacts stored or final): call:updated after the commit. */
  changedCallIds: Set<string>;
}

/**
 * How long after a call ends its provider's final figures and artifacts may still arrive; past
 * it the call is final whatever arrived (reconciliation has asked the provider by then).
 * Bolna posts `completed` 2-3 minutes after the disconnect; Twilio's recording callback comes
 * within a minute or two of the end; Exotel's terminal callback is its last word.
 */
export const FINAL_DEADLINE_SECONDS: Record<Call['provider'], number> = {
  bolna: 15 * 60,
  twilio: 10 * 60,
  exotel: 5 * 60,
  simulator: 2 * 60,
};

/**
 * Whether a call is final: its provider said its last word, or the provider's deadline passed.
 * `stored` is the call's call_outcomes row: an ended call without one is final (the batch writes
 * no row for a last word that brings nothing, and always one, with final_due_at, for an ending
 * that is not the provider's last word).
 */
export function isFinal(
  call: Pick<Call, 'provider' | 'endedAt'>,
  stored: { finalizedAt: Date | null } | null,
  now = Date.now(),
): boolean {
  // Only an ended call can be final (a recording may be reported before the call's end).
  if (!call.endedAt) return false;
  if (!stored) return true;
  const finalizedAt = stored.finalizedAt;
  if (finalizedAt) return true;
  return now - call.endedAt.getTime() >= FINAL_DEADLINE_SECONDS[call.provider] * 1000;
}

const COLUMNS = `call_id, organization_id, transcript, summary, extracted_data, hangup_by, finalized_at,
  recording_status, recording_provider_url, recording_storage_key, recording_content_type,
  recording_duration_seconds, recording_size_bytes, recording_attempts, recording_last_error,
  recording_expired_at, recording_retention_days`;

function fromRow(row: Record<string, unknown>): StoredOutcome {
  return {
    callId: row.call_id as string,
    organizationId: row.organization_id as string,
    transcript: (row.transcript as TranscriptTurn[] | null) ?? null,
    summary: (row.summary as string | null) ?? null,
    extractedData: (row.extracted_data as Record<string, unknown> | null) ?? null,
    hangupBy: (row.hangup_by as string | null) ?? null,
    finalizedAt: row.finalized_at ? new Date(row.finalized_at as string) : null,
    recordingStatus: (row.recording_status as RecordingStatus | null) ?? null,
    recordingProviderUrl: (row.recording_provider_url as string | null) ?? null,
    recordingStorageKey: (row.recording_storage_key as string | null) ?? null,
    recordingContentType: (row.recording_content_type as string | null) ?? null,
    recordingDurationSeconds: (row.recording_duration_seconds as number | null) ?? null,
    recordingSizeBytes:
      row.recording_size_bytes === null || row.recording_size_bytes === undefined
        ? null
        : Number(row.recording_size_bytes),
    recordingAttempts: Number(row.recording_attempts ?? 0),
    recordingLastError: (row.recording_last_error as string | null) ?? null,
    recordingExpiredAt: row.recording_expired_at
      ? new Date(row.recording_expired_at as string)
      : null,
    recordingRetentionDays: (row.recording_retention_days as number | null) ?? null,
  };
}

/** The searchable words of a transcript (and summary). */
function searchText(transcript: TranscriptTurn[] | undefined, summary: string | undefined): string {
  return [...(transcript ?? []).map((turn) => turn.text), summary ?? ''].join(' ').trim();
}

/** Per-call merge of what a batch's events carry, first value wins (as already stored). */
interface Merge {
  call: Call;
  stored: StoredOutcome | undefined;
  transcript?: TranscriptTurn[];
  summary?: string;
  extractedData?: Record<string, unknown>;
  hangupBy?: string;
  recording?: NonNullable<CallArtifacts['recording']>;
  recordingUnavailable?: string;
  final: boolean;
  /** The call ended without its provider's final word: when reconciliation should ask. */
  finalDueAt?: Date;
}

/**
 * A call's outcome: recording, transcript, summary, extracted data, who hung up, finality. Stored
 * once per call (each part's first value wins: a provider repeating itself changes nothing), as
 * late enrichment inside the worker's batch transaction; money is never touched here.
 */
@Injectable()
export class CallOutcomesService {
  /**
   * Plans the batch's outcome write: reads what its calls already have (one statement, only when
   * some event carries artifacts or finality), merges in memory, annotates each event's timeline
   * row with what it stored, and returns one upsert for the batch's final write.
   */
  async plan(manager: EntityManager, events: OutcomeEvent[]): Promise<OutcomePlan> {
    const plan: OutcomePlan = { write: null, recordingsToCopy: [], changedCallIds: new Set() };
    if (events.length === 0) return plan;
    const callIds = [...new Set(events.map(({ call }) => call.id))];
    const rows: Record<string, unknown>[] = await queryPrepared(
      manager,
      `SELECT ${COLUMNS} FROM call_outcomes WHERE call_id = ANY($1::uuid[])`,
      [callIds],
    );
    const existing = new Map(rows.map((row) => [row.call_id as string, fromRow(row)]));
    const merges = new Map<string, Merge>();
    for (const { call, event, timeline } of events) {
      let merge = merges.get(call.id);
      if (!merge) {
        merge = { call, stored: existing.get(call.id), final: false };
        merges.set(call.id, merge);
      }
      const stored = merge.stored;
      const added: string[] = [];
      const artifacts = event.artifacts ?? {};
      if (artifacts.transcript && !stored?.transcript && !merge.transcript) {
        merge.transcript = artifacts.transcript;
        added.push('transcript');
      }
      if (artifacts.summary && !stored?.summary && !merge.summary) {
        merge.summary = artifacts.summary;
        added.push('summary');
      }
      if (artifacts.extractedData && !stored?.extractedData && !merge.extractedData) {
        merge.extractedData = artifacts.extractedData;
        added.push('extractedData');
      }
      if (artifacts.hangupBy && !stored?.hangupBy && !merge.hangupBy) {
        merge.hangupBy = artifacts.hangupBy;
        added.push('hangupBy');
      }
      const hasRecording = Boolean(stored?.recordingStatus || merge.recording);
      if (artifacts.recording && !hasRecording) {
        merge.recording = artifacts.recording;
        added.push('recording');
      } else if (artifacts.recordingUnavailable && !hasRecording && !merge.recordingUnavailable) {
        merge.recordingUnavailable = artifacts.recordingUnavailable;
        added.push('recordingUnavailable');
      }
      // The timeline row says what this event stored (the provider's URL is never in it).
      if (added.length > 0) timeline.facts = { ...timeline.facts, stored: added.join(',') };
      if (event.final && !stored?.finalizedAt && !merge.final) {
        merge.final = true;
        added.push('final');
      } else if (
        !event.final &&
        !stored?.finalizedAt &&
        event.status &&
        isTerminal(event.status) &&
        call.endedAt
      ) {
        merge.finalDueAt ??= new Date(
          call.endedAt.getTime() + FINAL_DEADLINE_SECONDS[call.provider] * 1000,
        );
      }
      if (added.length > 0) plan.changedCallIds.add(call.id);
    }
    for (const merge of merges.values()) {
      // An ended call without a row is final (a call that ends without its provider's final word
      // always gets one, with final_due_at): a provider's last word that brings nothing else
      // writes nothing (most terminal events: busy, no answer, the simulator's completed), and
      // parts arriving later for such a call keep it final.
      if (merge.stored || !merge.call.endedAt || merge.finalDueAt) continue;
      const parts =
        merge.transcript ||
        merge.summary ||
        merge.extractedData ||
        merge.hangupBy ||
        merge.recording ||
        merge.recordingUnavailable;
      if (parts) merge.final = true;
      else if (merge.final) plan.changedCallIds.delete(merge.call.id);
    }
    const changed = [...merges.values()].filter(
      (merge) => plan.changedCallIds.has(merge.call.id) || merge.finalDueAt,
    );
    if (changed.length === 0) return plan;
    for (const merge of changed) if (merge.recording) plan.recordingsToCopy.push(merge.call.id);

    const column = <T>(pick: (merge: Merge) => T) => changed.map(pick);
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    plan.write = {
      // One row per call: each part set only where it is still null (first value wins), the
      // search vector extended with the new words.
      sql: `INSERT INTO call_outcomes AS o (call_id, organization_id, transcript, summary, extracted_data,
              hangup_by, search, finalized_at, final_due_at, recording_status, recording_provider_url, recording_provider_id,
              recording_content_type, recording_duration_seconds, recording_last_error)
            SELECT i.call_id, i.organization_id, i.transcript, i.summary, i.extracted_data, i.hangup_by,
                   CASE WHEN i.search_text IS NULL THEN NULL ELSE to_tsvector('simple', i.search_text) END,
                   CASE WHEN i.final THEN now() END, i.final_due_at,
                   CASE WHEN i.recording_url IS NOT NULL THEN 'pending'
                        WHEN i.recording_unavailable IS NOT NULL THEN 'failed' END,
                   i.recording_url, i.recording_id, i.recording_content_type, i.recording_duration,
                   i.recording_unavailable
              FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::text[], $5::jsonb[], $6::varchar[],
                          $7::text[], $8::boolean[], $9::text[], $10::varchar[], $11::varchar[],
                          $12::integer[], $13::varchar[], $14::timestamptz[])
                AS i(call_id, organization_id, transcript, summary, extracted_data, hangup_by, search_text,
                     final, recording_url, recording_id, recording_content_type, recording_duration,
                     recording_unavailable, final_due_at)
            ON CONFLICT (call_id) DO UPDATE SET
              transcript = coalesce(o.transcript, EXCLUDED.transcript),
              summary = coalesce(o.summary, EXCLUDED.summary),
              extracted_data = coalesce(o.extracted_data, EXCLUDED.extracted_data),
              hangup_by = coalesce(o.hangup_by, EXCLUDED.hangup_by),
              search = CASE WHEN EXCLUDED.search IS NULL THEN o.search
                            ELSE coalesce(o.search, ''::tsvector) || EXCLUDED.search END,
              finalized_at = coalesce(o.finalized_at, EXCLUDED.finalized_at),
              final_due_at = coalesce(o.final_due_at, EXCLUDED.final_due_at),
              recording_status = coalesce(o.recording_status, EXCLUDED.recording_status),
              recording_provider_url = coalesce(o.recording_provider_url, EXCLUDED.recording_provider_url),
              recording_provider_id = coalesce(o.recording_provider_id, EXCLUDED.recording_provider_id),
              recording_content_type = coalesce(o.recording_content_type, EXCLUDED.recording_content_type),
              recording_duration_seconds = coalesce(o.recording_duration_seconds, EXCLUDED.recording_duration_seconds),
              recording_last_error = CASE WHEN o.recording_status IS NULL THEN EXCLUDED.recording_last_error
                                          ELSE o.recording_last_error END,
              updated_at = now()`,
      params: [
        column((merge) => merge.call.id),
        column((merge) => merge.call.organizationId),
        column((merge) => json(merge.transcript)),
        column((merge) => merge.summary ?? null),
        column((merge) => json(merge.extractedData)),
        column((merge) => merge.hangupBy ?? null),
        column((merge) => searchText(merge.transcript, merge.summary) || null),
        column((merge) => merge.final),
        column((merge) => merge.recording?.url ?? null),
        column((merge) => merge.recording?.providerRecordingId?.slice(0, 64) ?? null),
        column((merge) => merge.recording?.contentType?.slice(0, 100) ?? null),
        column((merge) => merge.recording?.durationSeconds ?? null),
        column((merge) => merge.recordingUnavailable ?? null),
        column((merge) => merge.finalDueAt?.toISOString() ?? null),
      ],
    };
    return plan;
  }

  /** Ended calls whose provider's final word is overdue (reconciliation asks their provider). */
  async overdue(
    manager: EntityManager,
    limit: number,
  ): Promise<
    {
      callId: string;
      provider: Call['provider'];
      providerCallId: string;
      parentProviderCallId: string | null;
    }[]
  > {
    const rows: {
      call_id: string;
      provider: Call['provider'];
      provider_call_id: string;
      parent_provider_call_id: string | null;
    }[] = await manager.query(
      `SELECT o.call_id, c.provider, c.provider_call_id, c.parent_provider_call_id
         FROM call_outcomes o JOIN calls c ON c.id = o.call_id
        WHERE o.finalized_at IS NULL AND o.final_due_at < now()
          AND o.final_due_at > now() - interval '1 hour' AND c.provider_call_id IS NOT NULL
        ORDER BY o.final_due_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      callId: row.call_id,
      provider: row.provider,
      providerCallId: row.provider_call_id,
      parentProviderCallId: row.parent_provider_call_id,
    }));
  }

  /** Recordings left pending (their copy job lost), for the sweep to enqueue again. */
  async pendingRecordings(manager: EntityManager, olderThanSeconds: number): Promise<string[]> {
    const rows: { call_id: string }[] = await manager.query(
      `SELECT call_id FROM call_outcomes
        WHERE recording_status = 'pending' AND updated_at < now() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT 100`,
      [olderThanSeconds],
    );
    return rows.map((row) => row.call_id);
  }

  /** One call's outcome, or null when nothing arrived yet. */
  async find(manager: EntityManager, callId: string): Promise<StoredOutcome | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${COLUMNS} FROM call_outcomes WHERE call_id = $1`,
      [callId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The summaries of these calls that have one (a campaign's page of contacts). */
  async summariesOf(manager: EntityManager, callIds: string[]): Promise<Map<string, string>> {
    if (callIds.length === 0) return new Map();
    const rows: { call_id: string; summary: string }[] = await manager.query(
      `SELECT call_id, summary FROM call_outcomes WHERE call_id = ANY($1::uuid[]) AND summary IS NOT NULL`,
      [callIds],
    );
    return new Map(rows.map((row) => [row.call_id, row.summary]));
  }
}
