// One benchmark at a time on a machine: two runs would share the gateway core and measure each
// other. A lock file in the temp directory holds the running benchmark's pid; a later run waits
// for it (a lock whose pid is gone is stale and taken over).
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const lockFile = join(tmpdir(), 'switchyard-bench.lock');

const holder = () => {
  try {
    return Number(readFileSync(lockFile, 'utf8').trim()) || null;
  } catch {
    return null;
  }
};

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Resolves once this process holds the lock; `log` is told once if it has to wait. */
export const acquireRunLock = async (log) => {
  let told = false;
  for (;;) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const pid = holder();
    if (pid === null || !isAlive(pid)) {
      // Stale (or half-written): remove and retry; a racing run that wins the retry is fine.
      try {
        unlinkSync(lockFile);
      } catch {
        // someone else removed it
      }
      continue;
    }
    if (!told) log(`another benchmark (pid ${pid}) is running; waiting for it to finish ...`);
    told = true;
    await sleep(2000);
  }
};

export const releaseRunLock = () => {
  if (holder() !== process.pid) return;
  try {
    unlinkSync(lockFile);
  } catch {
    // already gone
  }
};
