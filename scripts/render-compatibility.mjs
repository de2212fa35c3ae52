#!/usr/bin/env node
// Rewrites docs/compatibility.md from the protocol library's compatibility matrix. The same
// rendering is checked by apps/gateway/src/compatibility-doc.spec.ts, which fails when the
// committed doc differs, so run this after changing the matrix, a compat profile or a test list.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--selectProjects',
    'unit',
    '--runTestsByPath',
    'apps/gateway/src/compatibility-doc.spec.ts',
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, UPDATE_COMPATIBILITY_DOC: '1' } },
);
process.exit(result.status ?? 1);
