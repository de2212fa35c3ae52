import { ValueTransformer } from 'typeorm';

/** Postgres `bigint` <-> JS `bigint`, exactly (pg returns bigint columns as strings). */
export const bigintColumn: ValueTransformer = {
  to: (value: bigint | null | undefined): string | null | undefined =>
    value === null || value === undefined ? value : value.toString(),
  from: (value: string | null): bigint | null => (value === null ? null : BigInt(value)),
};
