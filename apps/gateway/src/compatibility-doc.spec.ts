import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@switchyard/common';
import {
  COMPAT_PROFILES,
  compatibilityMatrix,
  FEATURES,
  MATRIX_UPSTREAMS,
  MatrixCell,
  MatrixRow,
  MatrixUpstream,
  Support,
} from '@switchyard/protocols';

/**
 * docs/compatibility.md is rendered from the protocol library's `compatibilityMatrix()` (checked
 * against the encoders by compatibility-matrix.spec.ts) plus what the gateway adds on top. This
 * test fails when the committed file differs from the rendering, so the doc cannot drift:
 * `node scripts/render-compatibility.mjs` (UPDATE_COMPATIBILITY_DOC=1) rewrites it.
 */

const DOC = join(repoRoot(), 'docs', 'compatibility.md');

const CLIENTS = [
  ['openai-chat', 'Chat Completions client (`POST /v1/chat/completions`)'],
  ['openai-responses', 'Responses client (`POST /v1/responses`)'],
  ['anthropic-messages', 'Anthropic Messages client (`POST /v1/messages`)'],
] as const;

const MARK: Record<Support, string> = {
  supported: '✅',
  translated: '🔁',
  dropped: '➖',
  rejected: '⛔',
  not_applicable: '·',
};

/**
 * Where the gateway does more than the library's encoders: it resolves `previous_response_id`
 * from its own store before translating (the encoders alone refuse it), and fetches web images
 * for Gemini before encoding.
 */
const GATEWAY_OVERRIDES: Readonly<
  Record<string, (cell: MatrixCell, upstream: MatrixUpstream) => MatrixCell>
> = {
  previous_response_id: (cell) =>
    cell.support === 'rejected'
      ? {
          support: 'translated',
          note: 'the gateway expands the stored conversation (responses created through it, per tenant) before translating',
        }
      : cell,
  image_url: (cell, upstream) =>
    upstream === 'gemini' && cell.support === 'translated'
      ? {
          support: 'translated',
          note: 'fetched by the gateway and inlined as base64 (http(s), image/*, 10 MB each, 20 MB per request, public addresses only)',
        }
      : cell,
};

/** Integration tests that prove behaviour end to end through the running gateway. */
const GATEWAY_PROOFS: ReadonlyArray<[string, string]> = [
  [
    'test/integration/gateway-matrix.int-spec.ts',
    'every client (official openai and @anthropic-ai/sdk) × every upstream kind (openai, anthropic, gemini, openai_compatible with the deepseek and xai profiles), streamed and not: text, tool names and parsed arguments, stop reason, usage numbers, and one usage event with the normalised usage priced',
  ],
  [
    'test/integration/gateway-streams.int-spec.ts',
    'upstream bytes cut at every byte and at odd sizes (mid-line, mid-UTF-8, mid-JSON) give the same client-visible result; a client that disconnects mid-stream is metered once; truncated JSON, HTML with status 200, streams cut mid-JSON and unknown event types end cleanly',
  ],
  [
    'test/integration/gateway-client-requests.int-spec.ts',
    'the captured Claude Code, Codex, openai-node and AI SDK requests replayed to every upstream kind: pass-through keeps the body, betas, version and `?beta=true`; translation keeps every tool, the system prompt and every tool result; count_tokens passed through to Anthropic, estimated (system and tools included) elsewhere',
  ],
  [
    'test/integration/gateway-translated-errors.int-spec.ts',
    'upstream errors in the client protocol shape and status (Anthropic 529 → OpenAI 503 with retry-after), Anthropic-shaped gateway errors, failover before the first byte, refusals and operator-droppable parameters',
  ],
  [
    'test/integration/gateway-reasoning.int-spec.ts',
    "opaque reasoning state back to the provider that made it through another protocol's client: Gemini thoughtSignature via a Chat client's tool-call id, Anthropic thinking signatures via a stateless Responses client",
  ],
  [
    'test/integration/gateway-images.int-spec.ts',
    'image URLs passed on to upstreams that fetch them, fetched and inlined for Gemini within limits, never from a private address',
  ],
  [
    'test/integration/gateway-responses-store.int-spec.ts',
    '`previous_response_id` across upstreams, per tenant, `store: false`, expiry',
  ],
  [
    'test/integration/gateway-embeddings.int-spec.ts',
    '`/v1/embeddings` to OpenAI, OpenAI-compatible and Gemini, base64 produced by the gateway',
  ],
  [
    'test/integration/codex-cli.int-spec.ts',
    'the real Codex CLI (`codex exec`, `wire_api = "responses"`) running a tool turn against OpenAI, OpenAI-compatible (DeepSeek), Anthropic and Gemini upstreams',
  ],
];

function cellOf(row: MatrixRow, client: (typeof CLIENTS)[number][0], upstream: MatrixUpstream): MatrixCell {
  const cell = row.cells[client][upstream];
  const override = GATEWAY_OVERRIDES[row.feature];
  return override ? override(cell, upstream) : cell;
}

export function renderCompatibilityDoc(): string {
  const rows = compatibilityMatrix();
  const out: string[] = [
    '# Compatibility matrix',
    '',
    '<!-- Generated from compatibilityMatrix() in libs/protocols by apps/gateway/src/compatibility-doc.spec.ts.',
    '     Do not edit by hand: run `node scripts/render-compatibility.mjs`. -->',
    '',
    'What happens to each feature for each client protocol (rows of a table) and upstream provider kind',
    '(columns). The cells come from the protocol library, whose own tests check every parameter row against',
    'the encoders; the tests named at the end prove the behaviour through the running gateway.',
    '',
    `- ${MARK.supported} supported: native, or **pass-through** (the client's protocol is the upstream's own: the body is forwarded untouched except \`model\`)`,
    `- ${MARK.translated} translated to the upstream's equivalent`,
    `- ${MARK.dropped} dropped with a note, because it cannot change the answer`,
    `- ${MARK.rejected} refused with a 400 \`unsupported parameter X for upstream kind Y\` in the client's error shape, unless the operator lists X in the model's \`droppable_params\` (admin API or switchyard.yaml)`,
    `- ${MARK.not_applicable} the client protocol cannot express it`,
    '',
    'An OpenAI account speaks Chat Completions to Chat and Anthropic clients and the Responses API to Responses',
    'clients; `openai_compatible` servers speak Chat Completions; `anthropic` speaks Messages; `gemini` speaks',
    '`generateContent`. See docs/providers.md for each kind and profile.',
    '',
  ];
  for (const [client, title] of CLIENTS) {
    const notes: string[] = [];
    out.push(
      `## ${title}`,
      '',
      `| Feature | droppable name | ${MATRIX_UPSTREAMS.join(' | ')} |`,
      `|---|---|${MATRIX_UPSTREAMS.map(() => ':-:').join('|')}|`,
    );
    for (const row of rows) {
      const cells = MATRIX_UPSTREAMS.map((upstream) => {
        const cell = cellOf(row, client, upstream);
        if (!cell.note || cell.note === 'pass-through')
          return cell.note === 'pass-through' ? `${MARK.supported} pass-through` : MARK[cell.support];
        let index = notes.indexOf(cell.note);
        if (index < 0) index = notes.push(cell.note) - 1;
        return `${MARK[cell.support]} [${index + 1}]`;
      });
      out.push(
        `| ${row.label.replace(/\|/g, '\\|')} | ${row.param ? `\`${row.param}\`` : ''} | ${cells.join(' | ')} |`,
      );
    }
    out.push('', ...notes.map((note, i) => `${i + 1}. ${note}`), '');
  }

  out.push(
    '## OpenAI-compatible profiles',
    '',
    "An `openai_compatible` provider names its server's quirks with `profile` (validated; `generic` when absent).",
    '',
  );
  for (const profile of Object.values(COMPAT_PROFILES)) {
    out.push(`### \`${profile.id}\` — ${profile.label}`, '', ...profile.notes.map((note) => `- ${note}`), '');
  }

  out.push('## Where each row is proven', '', '| Feature | protocol library specs |', '|---|---|');
  for (const feature of FEATURES)
    out.push(
      `| ${feature.label.replace(/\|/g, '\\|')} | ${feature.tests.map((test) => `\`${test}\``).join(', ')} |`,
    );
  out.push(
    '',
    'Through the running gateway (real Postgres, Redis and BullMQ; fake upstreams replaying recorded payloads):',
    '',
  );
  for (const [file, what] of GATEWAY_PROOFS) out.push(`- \`${file}\`: ${what}.`);
  out.push('');
  return out.join('\n');
}

describe('docs/compatibility.md', () => {
  it('is the rendering of the compatibility matrix (run node scripts/render-compatibility.mjs after a change)', () => {
    const rendered = renderCompatibilityDoc();
    if (process.env.UPDATE_COMPATIBILITY_DOC === '1') writeFileSync(DOC, rendered);
    expect(readFileSync(DOC, 'utf8')).toBe(rendered);
  });

  it('names only gateway test files that exist', () => {
    for (const [file] of GATEWAY_PROOFS) expect(() => readFileSync(join(repoRoot(), file))).not.toThrow();
  });
});
