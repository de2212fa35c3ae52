#!/usr/bin/env node
// `npm test`: builds dist/ (the end-to-end tests start the real processes from it), then runs
// every Jest project: unit specs, integration and end-to-end tests. Extra args go to Jest.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const built = run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
if (built !== 0) process.exit(built);
process.exit(run(join(root, 'node_modules', '.bin', 'jest'), ['--maxWorkers=2', ...process.argv.slice(2)]));
