import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createStreamDecoder,
  decodeClientRequest,
  decodeUpstreamError,
  decodeUpstreamResponse,
} from './codecs';
import { decodeGeminiRequest } from './gemini/request-decoder';
import { WireProtocol } from './ir/ir-request';
import { COMPAT_PROFILES, CompatProfile } from './openai-compatible/compat-profiles';
import { arr, int, obj, parseJson, str } from './shared/read';
import { decodeBytes, fixture, fixtureText, observe } from './testing/harness';

/**
 * Every recorded payload in test/fixtures/protocols decodes. A new fixture fails this file until
 * a rule below says how to read it.
 */

const DIR = join(__dirname, '../../../test/fixtures/protocols');

function wireOf(name: string): { wire: WireProtocol; profile: CompatProfile } {
  if (name.startsWith('deepseek')) return { wire: 'openai-chat', profile: COMPAT_PROFILES.deepseek };
  if (name.startsWith('xai')) return { wire: 'openai-chat', profile: COMPAT_PROFILES.xai };
  if (name.startsWith('openai-compat')) return { wire: 'openai-chat', profile: COMPAT_PROFILES.generic };
  if (name.startsWith('openai')) return { wire: 'openai-chat', profile: COMPAT_PROFILES.openai };
  if (name.startsWith('responses')) return { wire: 'openai-responses', profile: COMPAT_PROFILES.openai };
  if (name.startsWith('anthropic')) return { wire: 'anthropic-messages', profile: COMPAT_PROFILES.openai };
  if (name.startsWith('gemini')) return { wire: 'gemini', profile: COMPAT_PROFILES.openai };
  throw new Error(`no rule for fixture ${name}`);
}

const files = readdirSync(DIR).filter((name) => name !== 'SOURCES.json' && name !== 'requests');
const STREAM_ERRORS = new Set([
  'responses-stream-error.sse',
  'anthropic-messages-stream-error-overloaded.sse',
]);
/** Out of scope for this library (embeddings are a separate endpoint of the gateway). */
const SKIPPED = new Set(['openai-embeddings-float.json', 'openai-embeddings-base64.json']);

describe('every recorded fixture decodes', () => {
  it('has a rule for every file', () => {
    for (const name of files) expect(() => wireOf(name)).not.toThrow();
    expect(files.length).toBeGreaterThanOrEqual(62);
  });

  it.each(files.filter((name) => name.endsWith('.sse')))('%s', (name) => {
    const { wire, profile } = wireOf(name);
    const seen = observe(decodeBytes(createStreamDecoder(wire, profile), fixture(name)));
    if (STREAM_ERRORS.has(name)) {
      expect(seen.error).not.toBeNull();
      return;
    }
    expect(seen.error).toBeNull();
    expect(seen.stop).not.toBeNull();
    expect(seen.text.length + seen.tools.length + seen.reasoning.length).toBeGreaterThan(0);
  });

  it.each(files.filter((name) => name.endsWith('.chunks.jsonl')))(
    '%s gives the same events as its .sse',
    (name) => {
      const { wire, profile } = wireOf(name);
      const lines = fixtureText(name)
        .split('\n')
        .filter((line) => line.trim() !== '');
      const decoder = createStreamDecoder(wire, profile);
      const fromChunks = [...lines.flatMap((line) => decoder.push({ data: line })), ...decoder.end()];
      const fromSse = decodeBytes(
        createStreamDecoder(wire, profile),
        fixture(name.replace('.chunks.jsonl', '.sse')),
      );
      const stable = (events: typeof fromSse) =>
        observe(
          events.map((e) =>
            e.type === 'tool_start' ? { ...e, id: e.id.replace(/^call_[\w-]{16}/, 'call_') } : e,
          ),
        );
      expect(stable(fromChunks)).toEqual(stable(fromSse));
    },
  );

  it.each(
    files.filter(
      (name) =>
        name.endsWith('.json') &&
        !name.includes('recording') &&
        !name.includes('error') &&
        !SKIPPED.has(name),
    ),
  )('%s (response body)', (name) => {
    const { wire, profile } = wireOf(name);
    const response = decodeUpstreamResponse(wire, fixtureText(name), profile);
    expect(response.content.length).toBeGreaterThan(0);
    expect(response.usage).not.toBeNull();
  });

  it.each(
    files.filter((name) => name.endsWith('.json') && name.includes('error') && !name.includes('recording')),
  )('%s (error body)', (name) => {
    const { wire } = wireOf(name);
    const status = Number(/-(\d{3})-/.exec(name)?.[1] ?? '500');
    const error = decodeUpstreamError(wire, status, fixtureText(name));
    expect(error.status).toBe(status);
    expect(error.message.length).toBeGreaterThan(3);
  });

  it('anthropic-recording-tool-roundtrip.json: both requests and responses', () => {
    const pairs = arr(parseJson(fixtureText('anthropic-recording-tool-roundtrip.json'))) ?? [];
    expect(pairs).toHaveLength(2);
    const stops = pairs.map((raw) => {
      const pair = obj(raw);
      const request = decodeClientRequest('anthropic-messages', pair?.body);
      expect(request.tools).toHaveLength(1);
      return decodeUpstreamResponse('anthropic-messages', JSON.stringify(pair?.response)).stopReason;
    });
    expect(stops).toEqual(['tool_calls', 'stop']);
  });

  it.each(files.filter((name) => name.startsWith('gemini-recording')))(
    '%s: requests and responses',
    (name) => {
      const root = obj(parseJson(fixtureText(name)));
      for (const raw of arr(root?.interactions) ?? []) {
        const interaction = obj(raw);
        const request = obj(interaction?.request);
        const response = obj(interaction?.response);
        const url = str(request?.url) ?? '';
        const segments = arr(response?.bodySegments) ?? [];
        const status = int(response?.statusCode) ?? 0;
        if (url.includes(':countTokens')) {
          expect(obj(segments[0])?.totalTokens).toBeGreaterThan(0);
          continue;
        }
        const ir = decodeGeminiRequest(arr(request?.bodySegments)?.[0], {
          model: 'gemini',
          stream: url.includes('stream'),
        });
        expect(ir.messages.length).toBeGreaterThan(0);
        if (status !== 200) {
          expect(decodeUpstreamError('gemini', status, JSON.stringify(segments[0])).type).toBe('not_found');
          continue;
        }
        if (url.includes('streamGenerateContent')) {
          const sse = segments.map((segment) => `data: ${JSON.stringify(segment)}\r\n\r\n`).join('');
          const seen = observe(decodeBytes(createStreamDecoder('gemini'), Buffer.from(sse)));
          expect(seen.error).toBeNull();
          expect(seen.stop).not.toBeNull();
        } else {
          expect(
            decodeUpstreamResponse('gemini', JSON.stringify(segments[0])).content.length,
          ).toBeGreaterThan(0);
        }
      }
    },
  );
});
