import { createStreamDecoder } from './codecs';
import { WireProtocol } from './ir/ir-request';
import { COMPAT_PROFILES } from './openai-compatible/compat-profiles';
import { TapVerdict } from './openai-chat/stream-tap';
import { SseSplitter } from './sse/sse-splitter';
import { createStreamTap, usageFromBody } from './stream-taps';
import { decodeBytes, fixture, fixtureText, observe } from './testing/harness';
import { arr, obj, parseJson } from './shared/read';

const CASES: Array<[string, WireProtocol]> = [
  ['anthropic-messages-stream-tools.sse', 'anthropic-messages'],
  ['anthropic-messages-stream-thinking.sse', 'anthropic-messages'],
  ['anthropic-messages-stream-cache-usage.sse', 'anthropic-messages'],
  ['anthropic-messages-stream-delta-input-tokens.sse', 'anthropic-messages'],
  ['responses-stream-text.sse', 'openai-responses'],
  ['responses-stream-function-call.sse', 'openai-responses'],
  ['responses-stream-reasoning-function-call.sse', 'openai-responses'],
  ['gemini-stream-text.sse', 'gemini'],
  ['gemini-stream-tool-call.sse', 'gemini'],
  ['gemini-stream-partial-args.sse', 'gemini'],
  ['openai-chat-stream-tools.sse', 'openai-chat'],
];

function tapAll(name: string, wire: WireProtocol, chunk = 0) {
  const tap = createStreamTap(wire, { clientWantsUsage: true });
  const splitter = new SseSplitter();
  const bytes = fixture(name);
  const out: Buffer[] = [];
  const step = chunk || bytes.length;
  for (let at = 0; at < bytes.length; at += step) {
    for (const event of splitter.push(bytes.subarray(at, at + step)))
      if (tap.inspect(event) === TapVerdict.Forward) out.push(event);
  }
  const rest = splitter.rest();
  if (rest) out.push(rest);
  return { tap, out: Buffer.concat(out) };
}

describe('pass-through stream taps', () => {
  it.each(CASES)('%s: forwards every byte and meters what the full decoder meters', (name, wire) => {
    const { tap, out } = tapAll(name, wire, 61);
    expect(out.equals(fixture(name))).toBe(true);
    const decoded = observe(decodeBytes(createStreamDecoder(wire, COMPAT_PROFILES.openai), fixture(name)));
    expect(tap.usage).toEqual(decoded.usage);
    expect(tap.usage).not.toBeNull();
    expect(tap.done).toBe(true);
    expect(tap.errored).toBe(false);
  });

  it('sees the cumulative Anthropic message_delta, not message_start', () => {
    expect(
      tapAll('anthropic-messages-stream-delta-input-tokens.sse', 'anthropic-messages').tap.usage?.input,
    ).toBe(61);
  });

  it('notices an Anthropic error sent before anything else', () => {
    const { tap } = tapAll('anthropic-messages-stream-error-overloaded.sse', 'anthropic-messages');
    expect(tap.errored).toBe(true);
    expect(tap.done).toBe(false);
    expect(tap.usage).toBeNull();
  });

  it('notices a Responses stream that fails after starting', () => {
    const { tap } = tapAll('responses-stream-error.sse', 'openai-responses');
    expect(tap.errored).toBe(true);
    expect(tap.usage).toBeNull();
  });

  it('takes the last Gemini snapshot, not the intermediate ones (101 prompt tokens mid-stream, 27 at the end)', () => {
    const recording = obj(parseJson(fixtureText('gemini-recording-stream-function-response.json')));
    const second = obj(arr(recording?.interactions)?.[1]);
    const segments = arr(obj(second?.response)?.bodySegments) ?? [];
    expect(segments).toHaveLength(4);
    const tap = createStreamTap('gemini');
    const splitter = new SseSplitter();
    for (const segment of segments) {
      for (const event of splitter.push(Buffer.from(`data: ${JSON.stringify(segment)}\r\n\r\n`)))
        tap.inspect(event);
    }
    expect(tap.usage).toEqual({ input: 27, cachedInput: 0, cacheWrite: 0, output: 37, reasoning: 0 });
    expect(tap.done).toBe(true);
  });
});

describe('usage of pass-through non-streaming bodies', () => {
  it.each([
    [
      'anthropic-messages-text.json',
      'anthropic-messages',
      { input: 12, cachedInput: 0, cacheWrite: 0, output: 29, reasoning: 0 },
    ],
    [
      'responses-text.json',
      'openai-responses',
      { input: 444, cachedInput: 0, cacheWrite: 0, output: 12, reasoning: 0 },
    ],
    [
      'gemini-tool-call.json',
      'gemini',
      { input: 29, cachedInput: 0, cacheWrite: 0, output: 908, reasoning: 893 },
    ],
    [
      'openai-chat-tool-call.json',
      'openai-chat',
      { input: 76, cachedInput: 0, cacheWrite: 0, output: 24, reasoning: 0 },
    ],
  ] as const)('%s', (name, wire, expected) => {
    expect(usageFromBody(wire, fixtureText(name))).toEqual(expected);
  });

  it('reads DeepSeek cache hits and tolerates leading keep-alive blank lines', () => {
    const usage = usageFromBody(
      'openai-chat',
      `\n\n${fixtureText('deepseek-text.json')}`,
      COMPAT_PROFILES.deepseek,
    );
    expect(usage?.cachedInput).toBeGreaterThanOrEqual(0);
    expect(usage?.input).toBeGreaterThan(0);
  });

  it('returns null for an HTML page', () => {
    expect(usageFromBody('anthropic-messages', '<html><body>Bad gateway</body></html>')).toBeNull();
  });
});
