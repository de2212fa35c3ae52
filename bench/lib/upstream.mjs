// Starts bench/fake-upstream.mjs as its own process on the load generator's core.
import { fileURLToPath } from 'node:url';
import { CORES, startProcess, waitFor } from './procs.mjs';

const script = fileURLToPath(new URL('../fake-upstream.mjs', import.meta.url));

export const startFakeUpstream = async ({ logDir }) => {
  let port = 0;
  const proc = startProcess({
    name: 'fake-upstream',
    command: process.execPath,
    args: [script, '--port=0'],
    core: CORES.loadgen,
    logDir,
    onLine: (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) port = Number(match[1]);
    },
  });
  await waitFor('the fake upstream', () => port, { timeoutMs: 10_000, process: proc });
  return { proc, port, baseUrl: `http://127.0.0.1:${port}/v1` };
};
