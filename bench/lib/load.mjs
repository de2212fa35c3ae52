// The load generator: autocannon in this process (pinned to core 0), closed loop, N connections.
import autocannon from 'autocannon';
import { startCpuWindow } from './cpu.mjs';
import { CORES, hasTaskset } from './procs.mjs';

/** Runs autocannon once and resolves with its result; latencies of 2xx answers are kept in µs. */
const fire = ({ url, headers, body, connections, durationSec }) =>
  new Promise((resolve, reject) => {
    // autocannon's own histogram has 1 ms resolution, too coarse at a few ms of latency: keep
    // our own samples (its responseTime is hrtime-based, in fractional ms).
    const latenciesUs = [];
    const instance = autocannon(
      { url, method: 'POST', headers, body, connections, pipelining: 1, duration: durationSec, timeout: 30 },
      (error, result) => (error ? reject(error) : resolve({ result, latenciesUs })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latenciesUs.push(responseTime * 1000);
    });
  });

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

/**
 * One measured case: a warm-up run (JIT, connection pools, caches; not measured), then the measured
 * run with a CPU window around exactly that run. `pids` maps names to processes whose CPU is
 * reported ({gateway, upstream, ...}); `groups` maps names to command names ({postgres: 'postgres'}).
 */
export const measure = async ({
  url,
  headers,
  body,
  connections,
  durationSec,
  warmupSec,
  pids,
  groups,
  beforeWindow,
}) => {
  const warmup =
    warmupSec > 0 ? await fire({ url, headers, body, connections, durationSec: warmupSec }) : null;
  await beforeWindow?.();
  const stopWindow = startCpuWindow(pids, groups);
  const startedAt = process.hrtime.bigint();
  const { result, latenciesUs } = await fire({ url, headers, body, connections, durationSec });
  const endedAt = process.hrtime.bigint();
  const elapsedSec = Number(endedAt - startedAt) / 1e9;
  const cpu = stopWindow();

  const ok = result['2xx'];
  const sorted = Float64Array.from(latenciesUs).sort();
  const perRequest = (micros) => (ok > 0 ? micros / ok : NaN);
  return {
    connections,
    durationSec: elapsedSec,
    // CLOCK_MONOTONIC µs, the clock of V8's CPU profiles: lets a profile be cut to this window.
    windowUs: [Number(startedAt / 1000n), Number(endedAt / 1000n)],
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // Responses counted by each run, for the usage-row sanity check (warm-up included).
    responses: ok + result.non2xx + (warmup ? warmup.result['2xx'] + warmup.result.non2xx : 0),
    rps: ok / elapsedSec,
    latencyMs: {
      p50: percentile(sorted, 50) / 1000,
      p99: percentile(sorted, 99) / 1000,
      max: sorted.at(-1) / 1000,
    },
    cpuUsPerRequest: Object.fromEntries(
      Object.entries(cpu.processes).map(([name, us]) => [name, perRequest(us)]),
    ),
    cpuSeconds: Object.fromEntries(Object.entries(cpu.processes).map(([name, us]) => [name, us / 1e6])),
    coreBusy: cpu.cores,
    // Share of the gateway's core used by anything but the gateway (Postgres, Redis, the kernel,
    // other work on the machine): high values mean the gateway was starved, not slow.
    gatewayCoreOther:
      pids.gateway && hasTaskset
        ? Math.max(0, cpu.cores[`cpu${CORES.gateway}`] - cpu.processes.gateway / 1e6 / elapsedSec)
        : NaN,
  };
};
