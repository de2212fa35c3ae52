import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeClientRequest, encodeUpstreamRequest, upstreamWireFor } from './codecs';
import {
  compatibilityMatrix,
  FEATURES,
  MATRIX_UPSTREAMS,
  MatrixFeature,
  supportOf,
} from './compatibility-matrix';
import { ClientProtocol, IrRequest } from './ir/ir-request';
import { COMPAT_PROFILES } from './openai-compatible/compat-profiles';
import { ProtocolError } from './shared/errors';
import { obj, parseJson } from './shared/read';

/**
 * Checks every `parameter` row of the compatibility matrix against the encoders: a probe request
 * carrying the parameter is encoded for every upstream the row says something about, and the
 * outcome (refused / dropped / carried) must be what the row claims.
 */

const BASE: Record<ClientProtocol, Record<string, unknown>> = {
  'openai-chat': { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
  'openai-responses': { model: 'm', input: 'hi' },
  'anthropic-messages': { model: 'm', max_tokens: 8000, messages: [{ role: 'user', content: 'hi' }] },
};

const TOOL = {
  kind: 'function',
  name: 'get_weather',
  parameters: { type: 'object', properties: {} },
} as const;

/** Adds the feature to a decoded request, the way a client of `inbound` would have sent it. */
const PROBES: Record<string, (request: IrRequest, inbound: ClientProtocol) => IrRequest> = {
  parallel_tool_calls: (r) => ({ ...r, tools: [TOOL], parallelToolCalls: false }),
  hosted_tools: (r, inbound) => ({
    ...r,
    tools: [{ kind: 'hosted', wire: inbound, toolType: 'web_search', raw: { type: 'web_search' } }],
  }),
  input_audio: (r) => ({
    ...r,
    messages: [{ role: 'user', parts: [{ type: 'file', mediaType: 'audio/wav', data: 'UklGRg==' }] }],
  }),
  top_k: (r) => ({ ...r, topK: 40 }),
  stop: (r) => ({ ...r, stop: ['END'] }),
  seed: (r) => ({ ...r, seed: 7 }),
  penalties: (r) => ({ ...r, presencePenalty: 0.5 }),
  json_object: (r) => ({ ...r, responseFormat: { type: 'json_object' } }),
  json_schema: (r) => ({
    ...r,
    responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' } },
  }),
  reasoning_config: (r) => ({ ...r, reasoning: { mode: 'enabled', effort: 'high' } }),
  cache_control: (r) => ({
    ...r,
    system: [{ type: 'text', text: 'be brief', cache: { type: 'ephemeral' } }],
  }),
  n: (r) => ({ ...r, extras: [{ name: 'n', value: 2 }] }),
  logprobs: (r) => ({ ...r, extras: [{ name: 'logprobs', value: true }] }),
  previous_response_id: (r) => ({ ...r, extras: [{ name: 'previous_response_id', value: 'resp_1' }] }),
  bookkeeping: (r) => ({ ...r, extras: [{ name: 'prompt_cache_key', value: 'k' }] }),
  user: (r) => ({ ...r, user: 'u1' }),
};

type Outcome = 'rejected' | 'dropped' | 'carried';

function outcome(
  feature: MatrixFeature,
  inbound: ClientProtocol,
  upstream: (typeof MATRIX_UPSTREAMS)[number],
): Outcome {
  const probe = PROBES[feature.id];
  const request = probe(decodeClientRequest(inbound, BASE[inbound]), inbound);
  const wire = upstreamWireFor(inbound, upstream);
  const profile = upstream === 'openai_compatible' ? COMPAT_PROFILES.generic : undefined;
  const param = feature.param ?? feature.id;
  try {
    const encoded = encodeUpstreamRequest(wire, request, { model: 'up', profile });
    expect(obj(parseJson(encoded.body))).toBeDefined();
    return encoded.dropped.includes(param) ? 'dropped' : 'carried';
  } catch (thrown) {
    if (thrown instanceof ProtocolError && thrown.code === 'request.unsupported_parameter') {
      expect(thrown.message).toContain(`unsupported parameter ${param} for upstream kind`);
      // The operator can turn the refusal into a noted drop.
      const allowed = encodeUpstreamRequest(wire, request, {
        model: 'up',
        profile,
        droppable: new Set([param]),
      });
      expect(allowed.dropped).toContain(param);
      return 'rejected';
    }
    throw thrown;
  }
}

const CASES = FEATURES.filter((feature) => feature.kind === 'parameter').flatMap((feature) =>
  feature.inbound.flatMap((inbound) =>
    MATRIX_UPSTREAMS.filter((upstream) => upstreamWireFor(inbound, upstream) !== inbound).map(
      (upstream) => [feature.id, inbound, upstream, feature] as const,
    ),
  ),
);

describe('compatibility matrix agrees with the encoders', () => {
  it('has a probe for every parameter row', () => {
    for (const feature of FEATURES.filter((f) => f.kind === 'parameter'))
      expect(Object.keys(PROBES)).toContain(feature.id);
  });

  it.each(CASES)('%s from %s to %s', (_id, inbound, upstream, feature) => {
    const claimed = supportOf(feature, inbound, upstream).support;
    const expected: Outcome =
      claimed === 'rejected' ? 'rejected' : claimed === 'dropped' ? 'dropped' : 'carried';
    expect(outcome(feature, inbound, upstream)).toBe(expected);
  });

  it('names only spec files that exist', () => {
    const specs = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.spec.ts')) specs.add(entry.name);
      }
    };
    walk(__dirname);
    for (const feature of FEATURES) for (const test of feature.tests) expect(specs).toContain(test);
    expect(existsSync(join(__dirname, 'translation-matrix.spec.ts'))).toBe(true);
  });

  it('renders one cell per inbound protocol and upstream kind, pass-through where protocols match', () => {
    const rows = compatibilityMatrix();
    expect(rows).toHaveLength(FEATURES.length);
    const text = rows.find((row) => row.feature === 'top_k');
    expect(text?.cells['anthropic-messages'].anthropic).toEqual({
      support: 'supported',
      note: 'pass-through',
    });
    expect(text?.cells['openai-responses'].gemini).toEqual({ support: 'not_applicable' });
    expect(text?.cells['anthropic-messages'].openai.support).toBe('rejected');
  });
});
