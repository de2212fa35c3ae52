// CPU accounting from /proc, the kernel's own bookkeeping: no agent inside the measured process,
// so the figure is the same for Switchyard, the peer gateway or anything else with a pid.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Clock ticks per second of utime/stime (100 on every Linux seen, but ask rather than assume).
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * User + system CPU time of a whole process (all its threads: main, libuv pool, GC, JIT), in µs.
 * Resolution is one clock tick (10 ms): over a 10 s window at ~1 core that is ±0.1%.
 */
export const processCpuMicros = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]); // field 14 of proc(5)
  const stime = Number(fields[12]); // field 15
  return ((utime + stime) * 1e6) / clockTicks;
};

/** Busy and total jiffies of every core (`cpu0`, `cpu1`, ...), to tell which side saturated. */
export const coreTimes = () => {
  const cores = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    // user nice system idle iowait irq softirq steal ...
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].trim().split(/\s+/).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    cores[`cpu${match[1]}`] = { busy, total: busy + idle + iowait };
  }
  return cores;
};

/** CPU µs of every process named `comm`, by pid (processes that come and go are caught as they are). */
const groupCpuMicros = (comm) => {
  const out = new Map();
  for (const pid of pidsByName(comm)) {
    try {
      out.set(pid, processCpuMicros(pid));
    } catch {
      // exited meanwhile
    }
  }
  return out;
};

/**
 * Starts a measurement window over the given processes ({name: pid}), process groups by command
 * name ({name: comm}, e.g. every `postgres` backend) and the cores; the returned function ends it
 * and gives each one's CPU µs and each core's busy share (0..1).
 */
export const startCpuWindow = (pids, groups = {}) => {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMicros(pid)]));
  const groupsBefore = Object.fromEntries(
    Object.entries(groups).map(([name, comm]) => [name, groupCpuMicros(comm)]),
  );
  const selfBefore = process.cpuUsage();
  const coresBefore = coreTimes();
  return () => {
    const processes = Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, processCpuMicros(pid) - before[name]]),
    );
    for (const [name, comm] of Object.entries(groups)) {
      // A backend that started during the window counts from 0; one that ended is lost (rare:
      // the apps keep pooled connections).
      let sum = 0;
      for (const [pid, us] of groupCpuMicros(comm)) sum += us - (groupsBefore[name].get(pid) ?? 0);
      processes[name] = sum;
    }
    const self = process.cpuUsage(selfBefore);
    processes.loadgen = self.user + self.system;
    const coresAfter = coreTimes();
    const cores = Object.fromEntries(
      Object.entries(coresAfter).map(([core, after]) => {
        const start = coresBefore[core];
        const total = after.total - start.total;
        return [core, total > 0 ? (after.busy - start.busy) / total : 0];
      }),
    );
    return { processes, cores };
  };
};

/** Pids of every process whose command name is `comm`. */
export const pidsByName = (comm) => {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
};

/** The pid of the one process whose command name is `comm` (e.g. redis-server), or null. */
export const findPidByName = (comm) => {
  const found = pidsByName(comm);
  return found.length === 1 ? found[0] : null;
};
