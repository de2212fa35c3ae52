// Child processes of the benchmark: pinned to a core, logged to a file, always cleaned up.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** `taskset` is util-linux; where it is missing (macOS, some containers) nothing is pinned. */
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** The gateway gets core 1 to itself; the load generator, the upstream and the helpers share core 0. */
export const CORES = { gateway: 1, loadgen: 0 };

/** Pins this process (every thread, `-a`) to the load generator's core. */
export const pinSelf = () => {
  if (hasTaskset) spawnSync('taskset', ['-a', '-p', '-c', String(CORES.loadgen), String(process.pid)]);
};

const children = new Set();

/**
 * Spawns `command args` pinned to `core` (or unpinned when core is null). `taskset -c N cmd` execs
 * cmd, so the child's pid is the program's own pid: /proc/<pid>/stat is the program's CPU.
 */
export const startProcess = ({ name, command, args, env, cwd, core, logDir, onLine }) => {
  const [file, argv] =
    hasTaskset && core !== null && core !== undefined
      ? ['taskset', ['-c', String(core), command, ...args]]
      : [command, args];
  const child = spawn(file, argv, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(logDir, `${name}.log`));
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('exit', () => {
    exited = true;
    children.delete(entry);
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log, { end: false });
    if (onLine) {
      let pending = '';
      stream.setEncoding('utf8').on('data', (text) => {
        const lines = (pending + text).split('\n');
        pending = lines.pop();
        for (const line of lines) onLine(line);
      });
    }
  }
  const entry = {
    name,
    pid: child.pid,
    child,
    exit,
    get exited() {
      return exited;
    },
    /** Freezes the process (SIGSTOP): it keeps its sockets and state and uses no CPU. */
    pause() {
      if (!exited) child.kill('SIGSTOP');
    },
    resume() {
      if (!exited) child.kill('SIGCONT');
    },
    /** SIGTERM, then SIGKILL after `graceMs`: a clean exit lets `--cpu-prof` write its profile. */
    async stop(graceMs = 10_000) {
      if (exited) return;
      child.kill('SIGCONT'); // a paused process would hold the SIGTERM until continued
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
      log.end();
    },
  };
  children.add(entry);
  return entry;
};

/** Stops every child still running, the most recently started first (gateway before its helpers). */
export const stopAll = async () => {
  for (const entry of [...children].reverse()) await entry.stop();
};

// Last resort on an abrupt exit (uncaught error, Ctrl-C twice): no child outlives the benchmark.
process.on('exit', () => {
  for (const entry of children) entry.child.kill('SIGKILL');
});

/** Polls `check` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export const waitFor = async (
  what,
  check,
  { timeoutMs = 60_000, intervalMs = 200, process: watched } = {},
) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (watched?.exited) throw new Error(`${watched.name} exited while waiting for ${what} (see its log)`);
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
};

/** Resolves once GET url answers 200. */
export const waitForHttp = (url, options) =>
  waitFor(url, async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200, options);
