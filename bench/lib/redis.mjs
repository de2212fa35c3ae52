// The Redis Switchyard uses during the benchmark. By default a private redis-server pinned to the
// load generator's core: the gateway's core then runs only the gateway, its CPU is measured
// exactly, and nobody else's keys or latency are touched. BENCH_REDIS_URL uses an existing one.
import { spawnSync } from 'node:child_process';
import { CORES, startProcess, waitFor } from './procs.mjs';
import { freePort } from './ports.mjs';
import { findPidByName } from './cpu.mjs';

const hasRedisServer = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** Resolves with {url, pid} (pid null when its CPU cannot be attributed). */
export const startRedis = async ({ logDir }) => {
  if (process.env.BENCH_REDIS_URL || !hasRedisServer()) {
    const url = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    // A shared server on this machine: its CPU is shown if it is the only redis-server running.
    return { url, pid: findPidByName('redis-server'), private: false };
  }
  const port = await freePort();
  const proc = startProcess({
    name: 'redis',
    command: 'redis-server',
    // In memory only, like the machine's own: nothing to clean up but the process.
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--logfile',
      '',
    ],
    core: CORES.loadgen,
    logDir,
  });
  const url = `redis://127.0.0.1:${port}`;
  const { default: Redis } = await import('ioredis');
  await waitFor(
    'the private redis-server',
    async () => {
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs: 10_000, process: proc },
  );
  return { url, pid: proc.pid, private: true };
};
