import { JobsOptions } from 'bullmq';

/**
 * Usage jobs retry for about an hour (the database may be down for a while); completed jobs are
 * kept for an hour so a late duplicate is deduplicated by job id before it reaches Postgres,
 * where the unique request id catches anything older.
 */
export const USAGE_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};
