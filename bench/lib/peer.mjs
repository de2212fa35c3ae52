// The peer gateway: Portkey's open-source AI gateway (a Hono app on @hono/node-server), installed
// on demand into bench/.peer/ and run on the gateway core, so both gateways face the same load.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORES, startProcess, waitForHttp } from './procs.mjs';
import { freePort } from './ports.mjs';

export const PEER_PACKAGE = '@portkey-ai/gateway';
// Pinned so that runs months apart compare the same peer; bump on purpose, not by accident.
export const PEER_VERSION = '1.15.2';
// Portkey's `ResponseService.updateHeaders` appends to the headers of a Response built from the
// upstream's fetch Response; @hono/node-server after 1.14.1 keeps those headers immutable, and
// every streamed chat completion then fails with HTTP 500 "TypeError: immutable" (Portkey issues
// #1389 and #1550). 1.14.1 is the newest release with which both modes work.
const NODE_SERVER_VERSION = '1.14.1';

const prefix = fileURLToPath(new URL('../.peer/', import.meta.url));
const packageDir = `${prefix}node_modules/${PEER_PACKAGE}/`;

const installedVersion = (dir) => {
  try {
    return JSON.parse(readFileSync(`${dir}package.json`, 'utf8')).version;
  } catch {
    return null;
  }
};
const isInstalled = () =>
  installedVersion(packageDir) === PEER_VERSION &&
  installedVersion(`${prefix}node_modules/@hono/node-server/`) === NODE_SERVER_VERSION;

/** Installs the pinned peer into bench/.peer/ the first time (gitignored; never a project dependency). */
export const ensurePeerInstalled = () => {
  if (isInstalled()) return;
  process.stdout.write(`installing ${PEER_PACKAGE}@${PEER_VERSION} into bench/.peer/ ...\n`);
  mkdirSync(prefix, { recursive: true });
  writeFileSync(
    `${prefix}package.json`,
    `${JSON.stringify(
      {
        private: true,
        dependencies: { [PEER_PACKAGE]: PEER_VERSION },
        overrides: { '@hono/node-server': NODE_SERVER_VERSION },
      },
      null,
      2,
    )}\n`,
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (result.status !== 0 || !isInstalled()) {
    throw new Error(
      `could not install ${PEER_PACKAGE}@${PEER_VERSION} into ${prefix} (npm exit ${result.status})`,
    );
  }
};

export const startPeer = async ({ upstreamBaseUrl, logDir }) => {
  ensurePeerInstalled();
  const port = await freePort();
  const proc = startProcess({
    name: 'peer-portkey',
    command: process.execPath,
    // --headless: no UI routes and no log streaming to it; the bare gateway.
    args: [`${packageDir}build/start-server.js`, `--port=${port}`, '--headless'],
    env: { NODE_ENV: 'production' },
    core: CORES.gateway,
    logDir,
  });
  // Its `/` answers "AI Gateway says hey!" once the server listens.
  await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 30_000, process: proc });
  return {
    proc,
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    // Portkey routes by headers: provider `openai` with a custom host (127.0.0.1 is in its
    // default TRUSTED_CUSTOM_HOSTS), and the upstream key passed through as the bearer token.
    headers: {
      authorization: 'Bearer sk-bench-upstream',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': upstreamBaseUrl,
    },
  };
};
