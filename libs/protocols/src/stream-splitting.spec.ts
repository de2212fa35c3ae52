import { createClientStreamEncoder, createUpstreamStreamReader, decodeClientRequest } from './codecs';
import { ClientProtocol, WireProtocol } from './ir/ir-request';
import { COMPAT_PROFILES } from './openai-compatible/compat-profiles';
import { fixture } from './testing/harness';
import { sdkStream } from './testing/sdk-clients';

/**
 * Upstream bytes arrive in arbitrary TCP reads. Whatever the cuts (mid-line, inside a multi-byte
 * UTF-8 character, inside a JSON string, between the two bytes of CRLF), the client sees exactly
 * the same thing through its SDK.
 */

const FIXTURES: Array<[string, WireProtocol]> = [
  ['anthropic-messages-stream-thinking.sse', 'anthropic-messages'],
  ['openai-chat-stream-text-2026.sse', 'openai-chat'],
  ['gemini-stream-text.sse', 'gemini'],
  ['responses-stream-function-call.sse', 'openai-responses'],
  ['deepseek-stream-tool-call.sse', 'openai-chat'],
];

const CLIENT: Record<ClientProtocol, Record<string, unknown>> = {
  'openai-chat': {
    model: 'p',
    messages: [{ role: 'user', content: 'x' }],
    stream: true,
    stream_options: { include_usage: true },
  },
  'openai-responses': { model: 'p', input: 'x', stream: true },
  'anthropic-messages': {
    model: 'p',
    max_tokens: 10,
    messages: [{ role: 'user', content: 'x' }],
    stream: true,
  },
};

/** Offsets inside every multi-byte character, plus a deterministic spread of others. */
function awkwardCuts(bytes: Buffer): number[] {
  const cuts = new Set<number>();
  for (let i = 1; i < bytes.length; i++) {
    if ((bytes[i] & 0xc0) === 0x80) cuts.add(i); // a UTF-8 continuation byte: cutting here splits a character
    if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) cuts.add(i); // between CR and LF
  }
  for (let i = 5; i < bytes.length; i += 37) cuts.add(i);
  return [...cuts].sort((a, b) => a - b);
}

async function seen(protocol: ClientProtocol, wire: WireProtocol, bytes: Buffer, cuts: readonly number[]) {
  const reader = createUpstreamStreamReader(wire, COMPAT_PROFILES.deepseek);
  const encoder = createClientStreamEncoder(protocol, {
    model: 'p',
    id: 'fixed',
    created: 1,
    request: decodeClientRequest(protocol, CLIENT[protocol]),
  });
  let sse = '';
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    for (const event of reader.push(bytes.subarray(start, cut))) sse += encoder.push(event);
    start = cut;
  }
  for (const event of reader.end()) sse += encoder.push(event);
  return sdkStream(protocol, sse + encoder.end());
}

describe.each(['openai-chat', 'openai-responses', 'anthropic-messages'] as const)('client %s', (protocol) => {
  it.each(FIXTURES)('%s gives the same result however the upstream bytes are cut', async (name, wire) => {
    const bytes = fixture(name);
    const whole = await seen(protocol, wire, bytes, []);
    expect(whole.stop).not.toBe('null');
    const cuts = awkwardCuts(bytes);
    expect(cuts.length).toBeGreaterThan(10);
    // All the cuts at once (a stream delivered in many tiny reads) …
    expect(await seen(protocol, wire, bytes, cuts)).toEqual(whole);
    // … and each awkward cut alone.
    const step = Math.max(1, Math.floor(cuts.length / 40));
    for (const cut of cuts.filter((_, i) => i % step === 0))
      expect(await seen(protocol, wire, bytes, [cut])).toEqual(whole);
  });
});

it('splits inside a multi-byte character without corrupting it', async () => {
  const bytes = fixture('anthropic-messages-stream-thinking.sse');
  const divide = bytes.indexOf(Buffer.from('÷'));
  expect(divide).toBeGreaterThan(0);
  const result = await seen('openai-chat', 'anthropic-messages', bytes, [divide + 1]);
  expect(result.text).toBe('925 ÷ 5 = 185');
});
