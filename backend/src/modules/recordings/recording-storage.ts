import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../../config/app-config';

/**
 * Where copies of call recordings live. Keys are Switchboard's own (`<org>/<call>.<ext>`), never
 * a provider's path. Local disk by default; an object store would implement the same four calls.
 */
export abstract class RecordingStorage {
  /** Stores the stream under `key` (replacing any earlier copy); resolves with its size in bytes. */
  abstract put(key: string, body: Readable, maxBytes: number): Promise<number>;
  /** Size in bytes, or null when nothing is stored under `key`. */
  abstract size(key: string): Promise<number | null>;
  /** The bytes `start`..`end` (inclusive) of the stored object. */
  abstract read(key: string, range?: { start: number; end: number }): Readable;
  abstract remove(key: string): Promise<void>;
}

/** Thrown when a recording is larger than Switchboard keeps. */
export class RecordingTooLargeError extends Error {
  override name = 'RecordingTooLargeError';
}

/** Files under RECORDINGS_DIR, written to a temporary name and renamed once complete. */
@Injectable()
export class LocalDiskRecordingStorage extends RecordingStorage {
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.RECORDINGS_DIR);
  }

  private path(key: string): string {
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) || key.includes('..'))
      throw new Error(`invalid recording key ${key}`);
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid recording key ${key}`);
    return path;
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<number> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.part`;
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes)
              throw new RecordingTooLargeError(`recording is larger than ${maxBytes} bytes`);
            yield chunk;
          }
        },
        createWriteStream(temporary),
      );
      await rename(temporary, path);
      return size;
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? info.size : null;
    } catch {
      return null;
    }
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(key), range ? { start: range.start, end: range.end } : {});
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
