import { Injectable } from '@nestjs/common';

const BUCKET_MS = 60_000;
const WINDOW_BUCKETS = 5;
/** Below this many calls in the window a deployment's error rate says too little to judge. */
const MIN_CALLS = 5;
const DEGRADED_ERROR_RATE = 0.2;

interface Bucket {
  minute: number;
  calls: number;
  failures: number;
}

export type HealthStatus = 'healthy' | 'degraded' | 'down' | 'unavailable' | 'idle';

export interface ModelHealth {
  status: HealthStatus;
  /** Calls and failures of this process in the last five minutes, all deployments together. */
  calls: number;
  failures: number;
}

/**
 * What this gateway process has seen of each deployment over the last five minutes, in memory:
 * upstream attempts and how many failed. Feeds the public catalog's health column; each replica
 * reports its own view (no round trip, no shared state on the hot path).
 */
@Injectable()
export class DeploymentHealth {
  private readonly windows = new Map<string, Bucket[]>();

  record(deploymentId: string, ok: boolean, now = Date.now()): void {
    const minute = Math.floor(now / BUCKET_MS);
    let buckets = this.windows.get(deploymentId);
    if (!buckets) this.windows.set(deploymentId, (buckets = []));
    let current = buckets[buckets.length - 1];
    if (!current || current.minute !== minute) {
      current = { minute, calls: 0, failures: 0 };
      buckets.push(current);
      while (buckets.length > WINDOW_BUCKETS) buckets.shift();
    }
    current.calls++;
    if (!ok) current.failures++;
  }

  /** Health of a model from its deployments: healthy if any of them answers well. */
  ofModel(deploymentIds: readonly string[], now = Date.now()): ModelHealth {
    if (deploymentIds.length === 0) return { status: 'unavailable', calls: 0, failures: 0 };
    const oldest = Math.floor(now / BUCKET_MS) - WINDOW_BUCKETS + 1;
    let calls = 0;
    let failures = 0;
    let anyHealthy = false;
    let anyJudged = false;
    for (const id of deploymentIds) {
      let deploymentCalls = 0;
      let deploymentFailures = 0;
      for (const bucket of this.windows.get(id) ?? []) {
        if (bucket.minute < oldest) continue;
        deploymentCalls += bucket.calls;
        deploymentFailures += bucket.failures;
      }
      calls += deploymentCalls;
      failures += deploymentFailures;
      if (deploymentCalls >= MIN_CALLS) {
        anyJudged = true;
        if (deploymentFailures / deploymentCalls < DEGRADED_ERROR_RATE) anyHealthy = true;
      } else if (deploymentCalls > 0 && deploymentFailures === 0) {
        anyHealthy = true;
      }
    }
    if (calls === 0) return { status: 'idle', calls, failures };
    if (anyHealthy) return { status: 'healthy', calls, failures };
    return { status: anyJudged && failures === calls ? 'down' : 'degraded', calls, failures };
  }
}
