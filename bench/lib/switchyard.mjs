// Switchyard under test: built from this checkout, run as three processes (gateway pinned alone on
// its core; admin and billing worker on the load generator's core) against a dedicated Postgres
// database and Redis key prefix, then configured through the admin API like an operator would.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CORES, hasTaskset, startProcess, waitForHttp } from './procs.mjs';
import { freePort } from './ports.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const env = process.env;
// One database per run (this process's pid in its name): two benchmarks started on one machine
// (two checkouts, say) must never drop or fill each other's database.
const DATABASE_URL =
  env.BENCH_DATABASE_URL ?? `postgres://root@127.0.0.1:5432/switchyard_bench_${process.pid}`;
const REDIS_KEY_PREFIX = env.BENCH_REDIS_KEY_PREFIX ?? `bench-${process.pid}`;
const MODEL = 'bench-gpt-4o-mini';

const mainOf = (app) => join(root, 'dist', 'apps', app, 'src', 'main.js');

const newestMtime = (dir) => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
};

/** Builds with the project's own build script when dist/ is missing or older than the sources. */
const ensureBuilt = () => {
  const stamp = join(root, 'dist', '.build-stamp');
  const sourcesChanged =
    !existsSync(stamp) ||
    Math.max(newestMtime(join(root, 'apps')), newestMtime(join(root, 'libs'))) > statSync(stamp).mtimeMs;
  const built = ['gateway', 'admin', 'billing-worker'].every((app) => existsSync(mainOf(app)));
  // BENCH_BUILD=0: measure dist/ as it is (e.g. while someone else's build of the tree is running).
  if (built && (!sourcesChanged || env.BENCH_BUILD === '0')) return;
  process.stdout.write('building Switchyard (node scripts/build.mjs) ...\n');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the Switchyard build failed');
};

// pg and ioredis are the project's own dependencies; imported lazily so that the direct and peer
// cases run even in a checkout where they are not installed yet.
const withPg = async (url, fn) => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

const databaseName = () => decodeURIComponent(new URL(DATABASE_URL).pathname.slice(1));
const maintenanceUrl = () => Object.assign(new URL(DATABASE_URL), { pathname: '/postgres' }).toString();

/** Drops the bench database (its name must say bench: this never touches another database). */
const dropDatabase = async () => {
  const name = databaseName();
  if (!/bench/.test(name))
    throw new Error(`refusing to drop ${name}: the bench database's name must contain "bench"`);
  await withPg(maintenanceUrl(), (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`),
  );
};

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Drops the databases of earlier runs that died before cleaning up (their pid is gone). */
const dropStaleDatabases = async () => {
  if (env.BENCH_DATABASE_URL) return;
  await withPg(maintenanceUrl(), async (client) => {
    const { rows } = await client.query(
      "SELECT datname FROM pg_database WHERE datname ~ '^switchyard_bench_[0-9]+$'",
    );
    for (const { datname } of rows) {
      const pid = Number(datname.slice('switchyard_bench_'.length));
      if (pid !== process.pid && !isAlive(pid))
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
};

/** Deletes every Redis key under the bench prefix (queues, counters, caches of earlier runs). */
const clearRedisPrefix = async (url) => {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_KEY_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};

/**
 * Drops what a run left in Postgres and Redis, unless BENCH_KEEP_DB=1 (to look at the rows). A
 * private redis-server needs no cleaning: it goes with its process.
 */
export const dropBenchData = async (redis) => {
  if (env.BENCH_KEEP_DB === '1') return;
  await dropDatabase();
  if (redis && !redis.private) await clearRedisPrefix(redis.url);
};

const adminApi = (adminUrl, token) => async (method, path, body) => {
  const response = await fetch(`${adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`admin ${method} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
};

export const startSwitchyard = async ({ upstreamBaseUrl, redis, logDir, profileDirs = {} }) => {
  ensureBuilt();
  await dropStaleDatabases();
  await dropDatabase();
  if (!redis.private) await clearRedisPrefix(redis.url);

  const gatewayPort = await freePort();
  let adminPort = await freePort();
  while (adminPort === gatewayPort) adminPort = await freePort();
  const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
  const outboxDir = join(logDir, 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  const appEnv = {
    DATABASE_URL,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX,
    GATEWAY_PORT: String(gatewayPort),
    ADMIN_PORT: String(adminPort),
    ADMIN_TOKEN: adminToken,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    OUTBOX_DIR: outboxDir,
    LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'warn',
    NODE_ENV: 'production',
  };
  // A profiled app writes its profile when it exits (the apps exit on SIGTERM by themselves; the
  // preload only covers a process without a handler).
  const profileArgs = (name) =>
    profileDirs[name]
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDirs[name]}`,
          '--import',
          fileURLToPath(new URL('./exit-on-signal.mjs', import.meta.url)),
        ]
      : [];
  const app = (name, core) =>
    startProcess({
      name,
      command: process.execPath,
      args: [...profileArgs(name), mainOf(name)],
      env: appEnv,
      cwd: root,
      core,
      logDir,
    });

  // Admin first and alone: it applies the migrations (under a lock) before the others connect.
  const admin = app('admin', CORES.loadgen);
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  await waitForHttp(`${adminUrl}/health/ready`, { timeoutMs: 120_000, process: admin });
  const worker = app('billing-worker', CORES.loadgen);
  const gateway = app('gateway', CORES.gateway);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  await waitForHttp(`${gatewayUrl}/health/ready`, { timeoutMs: 120_000, process: gateway });

  // An operator's setup: one tenant with a key, one provider account, one priced model.
  const api = adminApi(adminUrl, adminToken);
  const tenant = await api('POST', '/admin/v1/tenants', { name: 'bench-tenant' });
  const key = await api('POST', `/admin/v1/tenants/${tenant.id}/keys`, { name: 'bench-key' });
  const provider = await api('POST', '/admin/v1/providers', {
    name: 'bench-upstream',
    kind: 'openai_compatible',
    base_url: upstreamBaseUrl,
    api_key: 'sk-bench-upstream',
  });
  await api('POST', '/admin/v1/models', {
    name: MODEL,
    deployments: [{ provider_id: provider.id, upstream_model: 'gpt-4o-mini', priority: 0, weight: 1 }],
    prices: { input: '2.50', output: '10.00' },
    costs: { input: '0.15', output: '0.60' },
  });

  const usageRows = () =>
    withPg(DATABASE_URL, async (client) => {
      const { rows } = await client.query(
        'SELECT outcome, stream, count(*)::int AS n FROM usage_events GROUP BY outcome, stream ORDER BY outcome, stream',
      );
      return rows;
    });
  const countRows = async () => (await usageRows()).reduce((n, row) => n + row.n, 0);

  let stopped = false;
  return {
    url: `${gatewayUrl}/v1/chat/completions`,
    headers: { authorization: `Bearer ${key.key}` },
    model: MODEL,
    gateway,
    worker,

    /**
     * Moves the Postgres backends serving the bench database to the load generator's core. In
     * production Postgres runs on other machines; here, left unpinned, its backends take a large
     * share of the gateway's core (seen: ~50%) and the gateway's req/s would measure Postgres.
     * Only this database's backends are touched; they end with the run's connections.
     */
    async pinBackends() {
      if (!hasTaskset) return;
      const pids = await withPg(DATABASE_URL, async (client) => {
        const { rows } = await client.query(
          'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
        );
        return rows.map((row) => row.pid);
      });
      for (const pid of pids)
        spawnSync('taskset', ['-p', '-c', String(CORES.loadgen), String(pid)], { stdio: 'ignore' });
    },

    countRows,

    /**
     * Waits until at least `expected` usage rows landed and the count stopped moving. A slow
     * worker may take minutes to drain a long run: it gives up only after `stallMs` without a
     * new row.
     */
    async waitForUsage(expected, stallMs = 30_000) {
      let last = -1;
      let progressAt = Date.now();
      for (;;) {
        const rows = await countRows();
        if (rows >= expected && rows === last) return;
        if (rows !== last) progressAt = Date.now();
        else if (Date.now() - progressAt > stallMs) {
          process.stdout.write(
            `warning: usage rows stuck at ${rows} of ${expected} expected for ${stallMs / 1000} s\n`,
          );
          return;
        }
        last = rows;
        await sleep(500);
      }
    },

    /** The metering sanity check: every response through Switchyard has exactly one usage row. */
    async usageCheck({ responses, slack }) {
      await this.waitForUsage(responses);
      const rows = await usageRows();
      const total = rows.reduce((n, row) => n + row.n, 0);
      const byOutcome = {};
      for (const row of rows) {
        const label = `${row.outcome}${row.stream ? ' (stream)' : ''}`;
        byOutcome[label] = (byOutcome[label] ?? 0) + row.n;
      }
      // Rows may exceed the responses the load generator counted by the requests it dropped in
      // flight at the end of each run (metered as client aborts, or as successes it never read).
      const verdict =
        total < responses
          ? `MISSING ${responses - total} rows`
          : total - responses <= slack
            ? `ok (${total - responses} more rows than counted responses: requests cut at the end of a run)`
            : `TOO MANY: ${total - responses} rows beyond the responses`;
      return { rows: total, responses, byOutcome, verdict };
    },

    /** Stops the three processes (the gateway first, so its last usage events still flush). */
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const proc of [gateway, worker, admin]) await proc.stop();
    },
  };
};
