#!/usr/bin/env node
// `npm start` and friends: builds when the sources are newer than dist/ (and the compiler is
// installed), then runs one entry point in this very process, so signals reach it directly.
//   node scripts/start.mjs all-in-one | gateway | admin | billing-worker | migrate | reencrypt
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = {
  'all-in-one': 'dist/apps/all-in-one/src/main.js',
  migrate: 'dist/apps/all-in-one/src/migrate.js',
  reencrypt: 'dist/apps/all-in-one/src/reencrypt.js',
  gateway: 'dist/apps/gateway/src/main.js',
  admin: 'dist/apps/admin/src/main.js',
  'billing-worker': 'dist/apps/billing-worker/src/main.js',
};

const app = process.argv[2] ?? 'all-in-one';
const entry = ENTRIES[app];
if (!entry) {
  process.stderr.write(`usage: node scripts/start.mjs ${Object.keys(ENTRIES).join('|')}\n`);
  process.exit(2);
}

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|ya?ml)$/.test(name)) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

const stamp = join(root, 'dist', '.build-stamp');
const canBuild = existsSync(join(root, 'node_modules', '.bin', 'tsc'));
const built = existsSync(stamp) && existsSync(join(root, entry));
// Without the compiler (a production-only install), dist/ is what runs, sources or not.
const stale =
  canBuild &&
  (!built ||
    Math.max(
      newestSource(join(root, 'apps')),
      newestSource(join(root, 'libs')),
      statSync(join(root, 'tsconfig.json')).mtimeMs,
    ) > statSync(stamp).mtimeMs);
if (stale) {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
} else if (!built) {
  process.stderr.write('switchyard: dist/ is missing and TypeScript is not installed; run `npm ci` first.\n');
  process.exit(1);
}

await import(pathToFileURL(join(root, entry)).href);
