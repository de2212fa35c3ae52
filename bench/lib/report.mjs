// Printing and saving: one table per run, ratios below it, the whole record as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const pct = (value) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : '—');

const COLUMNS = [
  ['mode', (c) => c.mode],
  ['target', (c) => c.target],
  ['req/s', (c) => fixed(c.rps)],
  ['p50 ms', (c) => fixed(c.latencyMs.p50, 2)],
  ['p99 ms', (c) => fixed(c.latencyMs.p99, 2)],
  ['gateway µs/req', (c) => fixed(c.cpuUsPerRequest.gateway)],
  ['worker µs/req', (c) => fixed(c.cpuUsPerRequest.worker)],
  ['redis µs/req', (c) => fixed(c.cpuUsPerRequest.redis)],
  ['postgres µs/req', (c) => fixed(c.cpuUsPerRequest.postgres)],
  ['upstream µs/req', (c) => fixed(c.cpuUsPerRequest.upstream)],
  ['loadgen µs/req', (c) => fixed(c.cpuUsPerRequest.loadgen)],
  ['core0 busy', (c) => pct(c.coreBusy.cpu0)],
  ['core1 busy', (c) => pct(c.coreBusy.cpu1)],
  ['core1 not gw', (c) => pct(c.gatewayCoreOther)],
  ['usage lag s', (c) => fixed(c.usageLagSeconds, 1)],
  ['errors', (c) => String(c.non2xx + c.errors + c.timeouts)],
];

const table = (rows) => {
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells
    .map((line) =>
      line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
    )
    .join('\n');
};

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const medianOf = (objects) =>
  Object.fromEntries(Object.keys(objects[0]).map((key) => [key, median(objects.map((o) => o[key]))]));

/** One row per (mode, target): medians over the rounds, error counts summed. */
export const summarize = (runs) => {
  const groups = new Map();
  for (const run of runs) {
    const key = `${run.mode}\t${run.target}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(run);
  }
  return [...groups.values()].map((group) => ({
    mode: group[0].mode,
    target: group[0].target,
    rounds: group.length,
    rps: median(group.map((r) => r.rps)),
    latencyMs: medianOf(group.map((r) => r.latencyMs)),
    cpuUsPerRequest: medianOf(group.map((r) => r.cpuUsPerRequest)),
    coreBusy: medianOf(group.map((r) => r.coreBusy)),
    gatewayCoreOther: median(group.map((r) => r.gatewayCoreOther)),
    usageLagSeconds: median(group.map((r) => r.metering?.lagSeconds ?? NaN)),
    ok: group.reduce((n, r) => n + r.ok, 0),
    non2xx: group.reduce((n, r) => n + r.non2xx, 0),
    errors: group.reduce((n, r) => n + r.errors, 0),
    timeouts: group.reduce((n, r) => n + r.timeouts, 0),
  }));
};

/** Switchyard against a baseline, per mode: >1 means Switchyard has more of it. */
export const ratios = (cases) => {
  const out = [];
  for (const mode of [...new Set(cases.map((c) => c.mode))]) {
    const find = (target) => cases.find((c) => c.mode === mode && c.target === target);
    const ours = find('switchyard');
    if (!ours) continue;
    for (const baseline of ['direct', 'peer']) {
      const other = find(baseline);
      if (!other) continue;
      out.push({
        mode,
        against: baseline,
        rps: ours.rps / other.rps,
        p50: ours.latencyMs.p50 / other.latencyMs.p50,
        p99: ours.latencyMs.p99 / other.latencyMs.p99,
        // Direct has no gateway process: its CPU ratio would be meaningless.
        gatewayCpu: baseline === 'peer' ? ours.cpuUsPerRequest.gateway / other.cpuUsPerRequest.gateway : null,
      });
    }
  }
  return out;
};

export const printReport = (record) => {
  const lines = [
    '',
    `${record.config.connections} connections, ${record.config.durationSec} s measured after ${record.config.warmupSec} s warm-up per case, ` +
      `${record.config.rounds} round(s) (medians shown); ` +
      `gateway pinned to core ${record.machine.pinned ? '1' : '(not pinned: no taskset)'}; ` +
      `metering ${record.config.metering}` +
      (record.config.metering === 'deferred' ? ' (worker frozen during the window, drained after it)' : ''),
    '',
    table(record.cases),
    '',
  ];
  for (const r of record.ratios) {
    const cpu = r.gatewayCpu === null ? '' : `, gateway CPU/req ×${fixed(r.gatewayCpu, 2)}`;
    lines.push(
      `${r.mode.padEnd(10)} switchyard/${r.against.padEnd(6)}  req/s ×${fixed(r.rps, 2)}, p50 ×${fixed(r.p50, 2)}, p99 ×${fixed(r.p99, 2)}${cpu}`,
    );
  }
  if (record.usageCheck) {
    const u = record.usageCheck;
    lines.push(
      '',
      `usage_events: ${u.rows} rows for ${u.responses} responses through Switchyard ` +
        `(${Object.entries(u.byOutcome)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}) — ${u.verdict}`,
    );
  }
  if (record.target) lines.push('', record.target);
  process.stdout.write(`${lines.join('\n')}\n`);
};

export const saveRecord = (dir, record) => {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
};
