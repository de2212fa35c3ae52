// Reads the V8 CPU profiles written by `node --cpu-prof` and ranks functions by self time.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();

// Short, stable location: `node_modules/<pkg>/...` or a repo-relative path, plus the line.
const where = ({ url, lineNumber }) => {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  const short =
    inModules >= 0
      ? path.slice(inModules + 'node_modules/'.length)
      : path.startsWith('/')
        ? relative(root, path)
        : path;
  return `${short}:${lineNumber + 1}`;
};

// Where self time went by origin: a package, Node's internals, the project's code, or V8/native.
const origin = ({ url, functionName }) => {
  if (!url) return functionName.startsWith('(') ? functionName : 'native (syscalls, builtins)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const [scopeOrName, name] = path.slice(inModules + 'node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  const project = /\/(apps|libs)\/([^/]+)\//.exec(path);
  return project ? `${project[1]}/${project[2]}` : relative(root, path);
};

/**
 * Top `count` functions by self time over every profile in `dir`, and self time by origin; idle
 * time is left out. With `windows` ([startUs, endUs] on CLOCK_MONOTONIC, the profile's clock),
 * only samples inside them count.
 */
export const topSelfTime = (dir, count = 10, windows = null) => {
  const self = new Map();
  const byOrigin = new Map();
  // Inclusive time of the project's own functions (apps/, libs/): the samples with that function
  // anywhere on the stack. Async hops cut stacks, so a timer's callback owns what it runs.
  const inclusive = new Map();
  let busyUs = 0;
  const inWindow = (t) => windows === null || windows.some(([start, end]) => t >= start && t <= end);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parentOf = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
    const projectStack = new Map(); // node id -> project function keys on its stack (memoized)
    const projectKeysOf = (id) => {
      let keys = projectStack.get(id);
      if (keys) return keys;
      const parent = parentOf.get(id);
      keys = new Set(parent === undefined ? [] : projectKeysOf(parent));
      const frame = byId.get(id).callFrame;
      if (/\/(apps|libs)\//.test(frame.url) && !frame.url.includes('node_modules')) {
        keys.add(`${frame.functionName || '(anonymous)'}\t${where(frame)}`);
      }
      projectStack.set(id, keys);
      return keys;
    };
    // Each sample's time is the delta to the next one: more exact than hitCount × interval.
    let t = profile.startTime;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas[i];
      const frame = byId.get(id).callFrame;
      if (frame.functionName === '(idle)' || !inWindow(t)) return;
      const us = profile.timeDeltas[i + 1] ?? 0;
      for (const key of projectKeysOf(id)) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      const from = origin(frame);
      byOrigin.set(from, (byOrigin.get(from) ?? 0) + us);
      const key = `${frame.functionName || '(anonymous)'}\t${where(frame)}`;
      self.set(key, (self.get(key) ?? 0) + us);
      busyUs += us;
    });
  }
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => {
      const [fn, location] = key.split('\t');
      return { function: fn, location, selfMs: us / 1000, share: us / busyUs };
    });
  const origins = [...byOrigin.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ origin: name, selfMs: us / 1000, share: us / busyUs }));
  const topInclusive = [...inclusive.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => {
      const [fn, location] = key.split('\t');
      return { function: fn, location, totalMs: us / 1000, share: us / busyUs };
    });
  const line = (share, ms, label) =>
    `${(share * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${label}`;
  const text = [
    ...top.map((t) => line(t.share, t.selfMs, `${t.function}  ${t.location}`)),
    '',
    'self time by origin:',
    ...origins.slice(0, 12).map((o) => line(o.share, o.selfMs, o.origin)),
    '',
    "the project's functions by inclusive time (callees included, up to the next async hop):",
    ...topInclusive.map((t) => line(t.share, t.totalMs, `${t.function}  ${t.location}`)),
  ].join('\n');
  return { files, busyMs: busyUs / 1000, top, origins, topInclusive, text };
};

// `node bench/lib/profile.mjs <dir> [count]` ranks an existing profile directory.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { text, busyMs } = topSelfTime(process.argv[2], Number(process.argv[3] ?? 20));
  process.stdout.write(`busy ${busyMs.toFixed(0)} ms\n${text}\n`);
}
