#!/usr/bin/env node
// Compiles apps/ and libs/ into dist/ (tsc, incremental) and rewrites @switchyard/* imports to
// relative paths (tsc-alias), so `node dist/apps/<app>/src/main.js` runs without loaders.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

for (const [tool, args] of [
  ['tsc', ['-p', 'tsconfig.build.json']],
  ['tsc-alias', ['-p', 'tsconfig.build.json']],
]) {
  const result = spawnSync(bin(tool), args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build failed in ${tool}\n`);
    process.exit(result.status ?? 1);
  }
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
