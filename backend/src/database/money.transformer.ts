import { ValueTransformer } from 'typeorm';

/** BIGINT micro-units <-> bigint. node-postgres returns BIGINT as a string; it must never become a number. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) =>
    value === null || value === undefined ? value : value.toString(),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};
