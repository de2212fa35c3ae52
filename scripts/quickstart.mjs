#!/usr/bin/env node
// `npm run quickstart`: from a fresh clone to a running Switchyard with a demo tenant and key.
// Installs and builds when needed, finds (or starts) Postgres and Redis, runs gateway + admin +
// worker in one process, provisions a demo through the admin API and prints how to call it.
// Every step is idempotent: a second run reuses the install, the secrets, the data and the key.
// Plain Node, built-ins only: it runs before `npm ci`. See docs/quickstart.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  describeUrl,
  isPortFree,
  pickFreePort,
  probePostgres,
  probeRedis,
  startEmbeddedPostgres,
  startRedisServer,
  waitUntilReady,
} from './services.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATE = join(ROOT, '.switchyard');
const LOGS = join(STATE, 'logs');
const APP_LOG = join(LOGS, 'switchyard.log');
const DEMO_FILE = join(STATE, 'demo.json');
const DEMO_PROVIDER = 'demo';
const DEMO_MODEL = 'switchyard-demo';
const DEMO_TENANT = 'demo';
/** Env shortcuts that declare a real upstream; with any of them set there is no need for the demo one. */
const PROVIDER_KEYS = [
  'OPENAI_API_KEY',
  'DEEPSEEK_API_KEY',
  'XAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'DASHSCOPE_API_KEY',
  'GROQ_API_KEY',
];
const READY_TIMEOUT_MS = 180_000; // the first start migrates an empty database

// ----- output ---------------------------------------------------------------------------------

const say = (line = '') => process.stdout.write(`${line}\n`);
const ok = (line) => say(`  ✓ ${line}`);
const note = (line) => say(`  · ${line}`);
const rel = (path) => relative(ROOT, path) || '.';

/** An expected failure: printed as one short message, no stack trace. */
class QuickstartError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

const RUN_MARKER = '----- quickstart ';

/** The last lines a log got in this run (the app log is appended to across runs). */
function tail(file, lines = 20) {
  try {
    const text = readFileSync(file, 'utf8');
    const thisRun = text.slice(Math.max(0, text.lastIndexOf(RUN_MARKER)));
    return thisRun
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch {
    return '    (no log written)';
  }
}

// ----- cleanup --------------------------------------------------------------------------------

/** What this run started, stopped in reverse order: apps first, databases last. */
const started = [];
let app = null; // the `scripts/start.mjs all-in-one` child
let appExited = null; // resolves with { code, signal } once it has exited
let stopping = false; // a stop was asked for (signal, or a failure after the apps started)
let failureCode = 0; // set when the quickstart itself failed: wins over the apps' clean exit
let handedOver = false; // the apps' exit now ends the quickstart (through `finish`)

async function stopEverything() {
  for (const service of started.splice(0).reverse()) {
    try {
      await service.stop();
    } catch (error) {
      say(`  ! could not stop ${service.name}: ${error.message}`);
    }
  }
}

// Last resort when the quickstart dies unexpectedly: never leave orphaned servers behind.
process.on('exit', () => {
  if (app?.exitCode === null && app.pid) signalGroup(app.pid, 'SIGTERM');
  for (const service of started.splice(0).reverse()) service.stopSync?.();
});

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error; // ESRCH: the group has already exited
  }
}

// ----- steps ----------------------------------------------------------------------------------

function checkNode() {
  const wanted = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines?.node ?? '>=20';
  const [wMajor = 0, wMinor = 0, wPatch = 0] = (/(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(wanted) ?? [])
    .slice(1)
    .map(Number);
  const [major, minor, patch] = process.versions.node.split('.').map(Number);
  const tooOld =
    major < wMajor || (major === wMajor && (minor < wMinor || (minor === wMinor && patch < wPatch)));
  if (tooOld)
    throw new QuickstartError(
      `Switchyard needs Node ${wanted}; this is ${process.versions.node}. Install a newer Node (https://nodejs.org) and run again.`,
    );
  ok(`Node ${process.versions.node}`);
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

/** Runs a command with its output in a log file; on failure shows the end of that log. */
function runLogged(command, args, logName, what) {
  const log = join(LOGS, logName);
  const fd = openSync(log, 'w');
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', fd, fd], env: process.env });
  closeSync(fd);
  if (result.signal) throw new QuickstartError(`${what} was interrupted.`, 130);
  if (result.error) throw new QuickstartError(`${what} could not run ${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new QuickstartError(`${what} failed (exit ${result.status}). End of ${rel(log)}:\n${tail(log)}`);
}

function ensureInstalled() {
  // npm writes node_modules/.package-lock.json on every install: older than the lock means stale.
  const installed = mtime(join(ROOT, 'node_modules', '.package-lock.json'));
  if (installed > 0 && installed >= mtime(join(ROOT, 'package-lock.json')))
    return ok('dependencies installed');
  note('installing dependencies with npm ci (first run: about a minute)…');
  runLogged(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['ci', '--no-audit', '--no-fund'],
    'npm-ci.log',
    'npm ci',
  );
  ok('dependencies installed (npm ci)');
}

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json|ya?ml)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const stamp = mtime(join(ROOT, 'dist', '.build-stamp'));
  const sources = Math.max(
    newestSource(join(ROOT, 'apps')),
    newestSource(join(ROOT, 'libs')),
    ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => mtime(join(ROOT, f))),
  );
  if (stamp > 0 && stamp >= sources) return ok('build is up to date');
  note('building (tsc)…');
  runLogged(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], 'build.log', 'The build');
  ok('built into dist/');
}

/** Letters and digits, without modulo bias (same alphabet as the apps' own secrets). */
function generateSecret(prefix, length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = prefix;
  while (out.length < prefix.length + length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < prefix.length + length) out += alphabet[byte % 62];
    }
  }
  return out;
}

/**
 * The env value, else the one kept in `file`, else a new one written there (0600). SECRETS_KEY
 * uses the apps' own `.switchyard/secrets.key`, so `npm start` and the quickstart agree.
 */
function persistentSecret(envName, file, make) {
  const fromEnv = process.env[envName];
  if (fromEnv) return { value: fromEnv, source: `from ${envName}` };
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${make()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error; // a concurrent start wrote it first: use theirs
    }
  }
  chmodSync(file, 0o600);
  return { value: readFileSync(file, 'utf8').trim(), source: rel(file) };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null; // missing or hand-edited into nonsense: start from scratch
  }
}

const localHost = (url) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);
const urlPort = (url, fallback) => Number(new URL(url).port || fallback);

async function ensurePostgres() {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let probe = await probePostgres(url);
  if (probe.state === 'starting')
    probe = await waitUntilReady(() => probePostgres(url), { timeoutMs: 30_000 });
  if (probe.state === 'ready') {
    ok(`Postgres at ${describeUrl(url)}`);
    return url;
  }
  if (probe.state === 'refused') {
    throw new QuickstartError(
      `Postgres at ${describeUrl(url)} refused the connection (${probe.detail}). Fix DATABASE_URL, or point it at a closed port to use an embedded Postgres.`,
    );
  }
  note(`no Postgres answers at ${describeUrl(url)}: starting an embedded one…`);
  const u = new URL(url);
  const port = await pickFreePort([urlPort(url, 5432), 5433, 5434, 5435, 5436]);
  try {
    const pg = await startEmbeddedPostgres({
      root: ROOT,
      dataDir: join(STATE, 'postgres'),
      logFile: join(LOGS, 'postgres.log'),
      port,
      database: decodeURIComponent(u.pathname.slice(1)) || 'switchyard',
      log: note,
    });
    started.push({ name: 'the embedded Postgres', stop: pg.stop, stopSync: pg.stopSync });
    ok(
      `embedded Postgres on 127.0.0.1:${pg.port} (data in ${rel(pg.dataDir)}${pg.reused ? ', already running' : ''})`,
    );
    return pg.url;
  } catch (error) {
    throw new QuickstartError(`Could not start the embedded Postgres: ${error.message}`);
  }
}

async function ensureRedis() {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  let probe = await probeRedis(url);
  if (probe.state === 'starting') probe = await waitUntilReady(() => probeRedis(url), { timeoutMs: 30_000 });
  if (probe.state === 'ready') {
    ok(`Redis at ${describeUrl(url)}`);
    return url;
  }
  if (probe.state === 'refused') {
    throw new QuickstartError(
      `Redis at ${describeUrl(url)} refused us (${probe.detail}). Fix REDIS_URL (a password goes in redis://:PASSWORD@host:port).`,
    );
  }
  const u = new URL(url);
  const port = await pickFreePort([localHost(url) ? urlPort(url, 6379) : 6379, 6380, 6381, 6382]);
  const redis = await startRedisServer({
    port,
    dir: join(STATE, 'redis'),
    logFile: join(LOGS, 'redis.log'),
    db: u.pathname === '/' ? '' : u.pathname,
  }).catch((error) => {
    throw new QuickstartError(`Could not start redis-server: ${error.message}`);
  });
  if (!redis) {
    throw new QuickstartError(
      `No Redis answers at ${describeUrl(url)} and redis-server is not installed: run \`docker compose up -d redis\` or \`apt-get install redis-server\`, then run this again.`,
    );
  }
  started.push({ name: 'redis-server', stop: redis.stop, stopSync: redis.stopSync });
  ok(
    `started redis-server on 127.0.0.1:${redis.port} (no persistence, log in ${rel(join(LOGS, 'redis.log'))})`,
  );
  return redis.url;
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false; // not listening yet, or not HTTP: the caller keeps polling
  }
}

/** 'free', 'switchyard' (ready and answering health) or 'busy' (something else holds it). */
async function portState(port) {
  if (await isPortFree(port, '0.0.0.0')) return 'free';
  return (await httpOk(`http://127.0.0.1:${port}/health/ready`)) ? 'switchyard' : 'busy';
}

function startApps(env) {
  const fd = openSync(APP_LOG, 'a');
  writeSync(fd, `\n${RUN_MARKER}${new Date().toISOString()} -----\n`);
  // Its own process group: a terminal Ctrl+C reaches only this script, which forwards it once,
  // so the apps get one signal and shut down in order before the databases stop.
  app = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), 'all-in-one'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  appExited = new Promise((resolve) => app.once('exit', (code, signal) => resolve({ code, signal })));
  app.once('error', (error) => say(`  ! could not start scripts/start.mjs: ${error.message}`));
}

async function waitForReady(ports) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let early = null;
  appExited.then((result) => {
    early = result;
  });
  while (Date.now() < deadline) {
    if (early && stopping) throw new QuickstartError('Stopped before Switchyard was ready.', 130);
    if (early) {
      throw new QuickstartError(
        `Switchyard stopped while starting (${early.signal ?? `exit ${early.code}`}). End of ${rel(APP_LOG)}:\n${tail(APP_LOG)}`,
        early.code || 1,
      );
    }
    const ready = await Promise.all(ports.map((port) => httpOk(`http://127.0.0.1:${port}/health/ready`)));
    if (ready.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new QuickstartError(
    `Switchyard was not ready within ${READY_TIMEOUT_MS / 1000}s. End of ${rel(APP_LOG)}:\n${tail(APP_LOG)}`,
  );
}

// ----- admin API --------------------------------------------------------------------------------

function adminClient(adminUrl, token) {
  const call = async (method, path, body) => {
    const res = await fetch(`${adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    }).catch((error) => {
      throw new QuickstartError(
        `The admin API at ${adminUrl} did not answer ${method} ${path}: ${error.cause?.code ?? error.message}`,
      );
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null; // not JSON: the status alone decides below
    }
    return { status: res.status, json };
  };
  const expect = async (method, path, body, statuses = [200, 201]) => {
    const { status, json } = await call(method, path, body);
    if (status === 401)
      throw new QuickstartError(
        'The admin API refused the admin token (401). Is another Switchyard with a different ADMIN_TOKEN on these ports?',
      );
    if (!statuses.includes(status)) {
      throw new QuickstartError(
        `Admin API ${method} ${path} answered ${status}: ${json?.error?.message ?? 'no error message'}`,
      );
    }
    return json;
  };
  /** Every item of a cursor-paginated list (or a plain array). */
  const listAll = async (path) => {
    const items = [];
    let cursor = null;
    for (let page = 0; page < 1000; page += 1) {
      const json = await expect(
        'GET',
        `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (Array.isArray(json)) return json;
      items.push(...(json?.data ?? []));
      if (!json?.has_more || !json.next_cursor) break;
      cursor = json.next_cursor;
    }
    return items;
  };
  return { call, expect, listAll };
}

/** Starts the demo upstream on the port it had before when possible, so the registered base_url stays true. */
async function ensureDemoUpstream(admin, saved) {
  const { startDemoUpstream } = await import('./demo-upstream.mjs');
  const providers = await admin.listAll('/admin/v1/providers');
  const existing = providers.find((p) => p.name === DEMO_PROVIDER);
  const registeredPort = existing?.base_url ? Number(new URL(existing.base_url).port) : 0;
  const port = await pickFreePort([registeredPort, saved?.upstream_port ?? 0]);
  const upstream = await startDemoUpstream({ port });
  started.push({ name: 'the demo upstream', stop: upstream.close });
  let provider = existing;
  if (!provider) {
    const created = await admin.call('POST', '/admin/v1/providers', {
      name: DEMO_PROVIDER,
      kind: 'openai_compatible',
      base_url: upstream.baseUrl,
      // The demo upstream accepts any key; one is still stored (encrypted) like a real one.
      api_key: 'sk-demo-not-a-secret',
    });
    if (created.status === 201) provider = created.json;
    else if (created.status === 409)
      provider = (await admin.listAll('/admin/v1/providers')).find((p) => p.name === DEMO_PROVIDER);
    else
      throw new QuickstartError(
        `Could not register the demo provider (${created.status}: ${created.json?.error?.message ?? ''})`,
      );
  } else if (existing.base_url && existing.base_url.replace(/\/+$/, '') !== upstream.baseUrl) {
    // Its old port was taken this time: move the provider to the new one.
    const patched = await admin.call('PATCH', `/admin/v1/providers/${existing.id}`, {
      base_url: upstream.baseUrl,
    });
    if (patched.status >= 300) {
      note(
        `the "${DEMO_PROVIDER}" provider still points at ${existing.base_url} (port busy, and it could not be updated: ${patched.status})`,
      );
    }
  }
  const models = await admin.listAll('/admin/v1/models');
  if (!models.some((m) => m.name === DEMO_MODEL)) {
    const created = await admin.call('POST', '/admin/v1/models', {
      name: DEMO_MODEL,
      deployments: [{ provider_id: provider.id, upstream_model: 'demo-1', priority: 0, weight: 1 }],
      prices: { input: '0.50', cached_input: '0.25', output: '1.50' },
      costs: { input: '0', cached_input: '0', output: '0' },
    });
    if (created.status !== 201 && created.status !== 409) {
      throw new QuickstartError(
        `Could not register the demo model (${created.status}: ${created.json?.error?.message ?? ''})`,
      );
    }
  }
  ok(`demo upstream on ${upstream.baseUrl}: provider "${DEMO_PROVIDER}", model "${DEMO_MODEL}"`);
  return upstream.port;
}

async function gatewayModels(gatewayUrl, key) {
  try {
    const res = await fetch(`${gatewayUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(5000),
    });
    const json = await res.json().catch(() => null);
    return res.status === 200 ? (json?.data ?? []).map((m) => m.id) : null;
  } catch {
    return null; // the key cannot be checked: treat it as not working and issue a new one
  }
}

async function ensureDemoTenantAndKey(admin, gatewayUrl, saved) {
  if (saved?.key) {
    const models = await gatewayModels(gatewayUrl, saved.key);
    if (models) {
      ok(`tenant "${DEMO_TENANT}" and its API key (reused from ${rel(DEMO_FILE)})`);
      return { ...saved, models };
    }
  }
  let tenant = saved?.tenant_id
    ? (await admin.call('GET', `/admin/v1/tenants/${saved.tenant_id}`)).json
    : null;
  if (tenant?.name !== DEMO_TENANT)
    tenant = (await admin.listAll('/admin/v1/tenants')).find((t) => t.name === DEMO_TENANT);
  if (!tenant) tenant = await admin.expect('POST', '/admin/v1/tenants', { name: DEMO_TENANT }, [201]);
  const key = await admin.expect(
    'POST',
    `/admin/v1/tenants/${tenant.id}/keys`,
    { name: 'quickstart' },
    [201],
  );
  const models = (await gatewayModels(gatewayUrl, key.key)) ?? [];
  ok(`tenant "${DEMO_TENANT}" and a new API key (saved in ${rel(DEMO_FILE)})`);
  return { tenant_id: tenant.id, key_id: key.id, key: key.key, models };
}

/** One real call through the gateway to the demo upstream: proves the whole path before we say so. */
async function smokeTest(gatewayUrl, key) {
  // A model created a moment ago reaches the gateway's catalog through pub/sub: give it a second.
  for (let i = 0; i < 20 && !(await gatewayModels(gatewayUrl, key))?.includes(DEMO_MODEL); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  try {
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: DEMO_MODEL, messages: [{ role: 'user', content: 'Hello!' }] }),
      signal: AbortSignal.timeout(15_000),
    });
    const json = await res.json().catch(() => null);
    if (res.status === 200 && json?.choices?.[0]?.message?.content)
      return ok('a test request through the gateway was answered');
    note(
      `the test request through the gateway answered ${res.status}: ${json?.error?.message ?? 'unexpected body'} (see ${rel(APP_LOG)})`,
    );
  } catch (error) {
    note(`the test request through the gateway failed: ${error.message}`);
  }
}

// ----- summary ----------------------------------------------------------------------------------

function printSummary({ gatewayPort, adminPort, adminToken, key, model, demo, attached }) {
  const base = `http://localhost:${gatewayPort}/v1`;
  say();
  say(
    attached
      ? 'Switchyard is already running here.'
      : 'Switchyard is running: gateway, admin API and billing worker in one process.',
  );
  say();
  say(`  Gateway (base_url)   ${base}`);
  say(
    `  Admin API            http://localhost:${adminPort}/admin/v1   (OpenAPI: http://localhost:${adminPort}/admin/docs)`,
  );
  say(`  Admin token          ${adminToken.value}   (${adminToken.source})`);
  say(`  Demo API key         ${key}   (tenant "${DEMO_TENANT}", ${rel(DEMO_FILE)})`);
  say(
    `  Model                ${model}${demo ? '   (the built-in demo upstream; set OPENAI_API_KEY or another provider key for real models)' : ''}`,
  );
  say();
  say('curl:');
  say(`  curl ${base}/chat/completions \\`);
  say(`    -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" \\`);
  say(`    -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello!"}]}'`);
  say();
  say('Python (pip install openai):');
  say('  from openai import OpenAI');
  say(`  client = OpenAI(base_url="${base}", api_key="${key}")`);
  say(
    `  reply = client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Hello!"}])`,
  );
  say('  print(reply.choices[0].message.content)');
  say();
  say('Node (npm install openai):');
  say("  import OpenAI from 'openai';");
  say(`  const client = new OpenAI({ baseURL: '${base}', apiKey: '${key}' });`);
  say(
    `  const reply = await client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Hello!' }] });`,
  );
  say('  console.log(reply.choices[0].message.content);');
  say();
  say(`Docs: README.md, docs/quickstart.md, docs/deployment.md. Logs: ${rel(APP_LOG)}.`);
  if (!attached) say('Press Ctrl+C to stop (your data stays in .switchyard/ and the database).');
}

// ----- main -------------------------------------------------------------------------------------

async function main() {
  say('Switchyard quick start');
  checkNode();
  mkdirSync(STATE, { recursive: true, mode: 0o711 }); // x for others: the embedded Postgres user must pass through
  mkdirSync(LOGS, { recursive: true });
  ensureInstalled();
  ensureBuilt();

  const gatewayPort = Number(process.env.GATEWAY_PORT || 8080);
  const adminPort = Number(process.env.ADMIN_PORT || 8081);
  const adminToken = persistentSecret('ADMIN_TOKEN', join(STATE, 'admin-token'), () =>
    generateSecret('sy-admin-', 40),
  );
  const secretsKey = persistentSecret('SECRETS_KEY', join(STATE, 'secrets.key'), () =>
    generateSecret('', 48),
  );
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const admin = adminClient(`http://127.0.0.1:${adminPort}`, adminToken.value);
  const saved = readJson(DEMO_FILE);
  // A declarative file or a provider key means real upstreams: no demo one is needed.
  const demo = !process.env.SWITCHYARD_CONFIG && !PROVIDER_KEYS.some((name) => process.env[name]);

  const states = await Promise.all([portState(gatewayPort), portState(adminPort)]);
  const attached = states.every((s) => s === 'switchyard');
  if (!attached) {
    for (const [i, [name, port]] of [
      ['GATEWAY_PORT', gatewayPort],
      ['ADMIN_PORT', adminPort],
    ].entries()) {
      if (states[i] !== 'free')
        throw new QuickstartError(
          `Port ${port} is already in use by another program: stop it, or set ${name} to a free port.`,
        );
    }
    const databaseUrl = await ensurePostgres();
    const redisUrl = await ensureRedis();
    const env = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV || 'development',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      GATEWAY_PORT: String(gatewayPort),
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: adminToken.value,
      SECRETS_KEY: secretsKey.value,
    };
    note(`starting gateway, admin and worker (log: ${rel(APP_LOG)})…`);
    startApps(env);
    await waitForReady([gatewayPort, adminPort]);
    appExited.then(finish); // from now on the apps' exit ends the quickstart
    handedOver = true;
    ok(`gateway on :${gatewayPort}, admin API on :${adminPort}`);
  } else {
    note(`a Switchyard already answers on :${gatewayPort} and :${adminPort}: showing its details`);
  }

  const upstreamPort = demo && !attached ? await ensureDemoUpstream(admin, saved) : saved?.upstream_port;
  const access = await ensureDemoTenantAndKey(admin, gatewayUrl, saved);
  writeFileSync(
    DEMO_FILE,
    `${JSON.stringify({ tenant_id: access.tenant_id, key_id: access.key_id, key: access.key, upstream_port: upstreamPort ?? null }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  chmodSync(DEMO_FILE, 0o600);
  const model = demo ? DEMO_MODEL : (access.models.find((m) => m !== DEMO_MODEL) ?? 'MODEL_NAME');
  if (demo && !attached) await smokeTest(gatewayUrl, access.key);
  printSummary({ gatewayPort, adminPort, adminToken, key: access.key, model, demo, attached });
  if (attached) process.exit(0);
}

/** The apps exited: stop what we started and leave with their status. */
async function finish({ code, signal }) {
  if (app?.pid) signalGroup(app.pid, 'SIGTERM'); // anything start.mjs left behind in its group
  await stopEverything();
  if (!stopping && code !== 0) say(`Switchyard exited (${signal ?? `exit ${code}`}). See ${rel(APP_LOG)}.`);
  process.exit(failureCode || (code ?? 128 + osConstants.signals[signal]));
}

function onSignal(signal) {
  if (!app || app.exitCode !== null || app.signalCode !== null) {
    // Nothing running yet (or any more): stop what was started and leave.
    stopEverything().then(() => process.exit(128 + osConstants.signals[signal]));
    return;
  }
  if (stopping) {
    say('Forcing stop.');
    signalGroup(app.pid, 'SIGKILL');
    return;
  }
  stopping = true;
  say(`\nStopping Switchyard… (press Ctrl+C again to force)`);
  app.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal); // the apps stop cleanly on SIGINT/SIGTERM
}
// SIGHUP too: a closed terminal must not orphan the apps, which run in their own session.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));

main().catch(async (error) => {
  // Stopping on request after start-up: `finish` ends the run; this error is only its echo.
  if (stopping && handedOver) return;
  const expected = error instanceof QuickstartError;
  say(expected ? `\n✗ ${error.message}` : `\n✗ Unexpected error: ${error.stack ?? error}`);
  failureCode = expected ? error.exitCode : 1;
  if (app && app.exitCode === null && app.signalCode === null) {
    stopping = true;
    app.kill('SIGTERM');
    if (!handedOver) appExited.then(finish); // stops the rest once the apps are down
    return;
  }
  await stopEverything();
  process.exit(failureCode);
});
