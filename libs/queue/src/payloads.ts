/** Queue names. One BullMQ queue per kind of work. */
export const QUEUES = { usage: 'usage' } as const;

/**
 * A usage event as it travels through the `usage` queue. Money is a decimal string of nano-USD
 * (JSON has no bigint); token counts are integers. Versioned: consumers accept every version a
 * rolling deploy may still produce.
 */
export interface UsageEventV1 {
  v: 1;
  requestId: string;
  tenantId: string;
  apiKeyId: string;
  /** Public model name the client asked for. */
  model: string;
  modelId: string | null;
  deploymentId: string | null;
  providerId: string | null;
  upstreamModel: string | null;
  protocol: string;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  usageEstimated: boolean;
  costNanoUsd: string;
  priceNanoUsd: string;
  outcome: 'success' | 'upstream_error' | 'client_abort' | 'gateway_error';
  status: number;
  errorCode: string | null;
  stream: boolean;
  latencyMs: number;
  ttfbMs: number | null;
  /** ISO-8601 time the gateway received the request. */
  startedAt: string;
}

/** Every job, by name, with its payload. */
export interface JobPayloads {
  'usage.record': UsageEventV1;
}

export type JobName = keyof JobPayloads;

/** BullMQ job ids may not contain ':'; the request id is the idempotency key. */
export function usageJobId(requestId: string): string {
  return `usage-${requestId.replace(/:/g, '_')}`;
}
