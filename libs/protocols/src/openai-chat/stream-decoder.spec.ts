import { COMPAT_PROFILES } from '../openai-compatible/compat-profiles';
import { cutPoints, decodeBytes, fixture, observe } from '../testing/harness';
import { OpenAiChatStreamDecoder } from './stream-decoder';

const decode = (name: string, profile = COMPAT_PROFILES.openai, cuts: number[] = []) =>
  decodeBytes(new OpenAiChatStreamDecoder(profile), fixture(name), cuts);

describe('OpenAiChatStreamDecoder', () => {
  it('decodes a text stream with its trailing usage chunk', () => {
    const seen = observe(decode('openai-chat-stream-text-usage.sse'));
    expect(seen.text).toMatch(/^I'm/);
    expect(seen.stop).toBe('stop');
    expect(seen.usage).toEqual({ input: 14, cachedInput: 0, cacheWrite: 0, output: 30, reasoning: 0 });
    expect(seen.error).toBeNull();
  });

  it('reassembles a streamed tool call', () => {
    const seen = observe(decode('openai-chat-stream-tools.sse'));
    expect(seen.tools).toHaveLength(1);
    expect(seen.tools[0].name).toBe('get_weather');
    expect(seen.tools[0].args).toEqual(expect.objectContaining({ city: expect.any(String) }));
    expect(seen.stop).toBe('tool_calls');
  });

  it('keeps parallel tool calls apart by index', () => {
    const seen = observe(decode('openai-chat-stream-tools-parallel.sse'));
    expect(seen.tools.map((t) => t.name)).toHaveLength(2);
    expect(seen.tools[0].id).not.toBe(seen.tools[1].id);
    expect(seen.stop).toBe('tool_calls');
  });

  it('accepts a tool index that starts at 1 and a stream with no usage', () => {
    const seen = observe(decode('openai-compat-stream-tool-index-gap.sse', COMPAT_PROFILES.generic));
    expect(seen.tools.length).toBeGreaterThan(0);
    expect(seen.error).toBeNull();
    expect(seen.usage).toBeNull();
  });

  it('reads DeepSeek reasoning_content and usage on the finish chunk', () => {
    const seen = observe(decode('deepseek-stream-reasoning.sse', COMPAT_PROFILES.deepseek));
    expect(seen.reasoning.length).toBeGreaterThan(0);
    expect(seen.text.length).toBeGreaterThan(0);
    expect(seen.usage).not.toBeNull();
    expect(seen.stop).toBe('stop');
  });

  it('counts xAI reasoning as output on top of completion tokens', () => {
    const seen = observe(decode('xai-stream-tool-call.sse', COMPAT_PROFILES.xai));
    expect(seen.tools).toHaveLength(1);
    expect(seen.usage?.output).toBeGreaterThan(seen.usage?.reasoning ?? 0);
  });

  it.each([
    'openai-chat-stream-tools.sse',
    'deepseek-stream-tool-call.sse',
    'openai-chat-stream-text-2026.sse',
  ])('gives the same events for %s however the bytes are cut', (name) => {
    const whole = observe(decode(name, COMPAT_PROFILES.deepseek));
    for (const cuts of cutPoints(fixture(name)))
      expect(observe(decode(name, COMPAT_PROFILES.deepseek, cuts))).toEqual(whole);
  });
});

describe('OpenAiChatStreamDecoder on irregular servers', () => {
  const sse = (...chunks: string[]): Buffer =>
    Buffer.from(chunks.map((chunk) => `data: ${chunk}\n\n`).join(''));

  it('keeps a tool call that has neither index nor id', () => {
    const events = decodeBytes(
      new OpenAiChatStreamDecoder(COMPAT_PROFILES.generic),
      sse(
        '{"id":"a","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{\\"x\\":"}}]}}]}',
        '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]}}]}',
        '{"id":"a","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
        '[DONE]',
      ),
    );
    const seen = observe(events);
    const start = events.find((event) => event.type === 'tool_start');
    expect(events).toContainEqual({
      type: 'block_end',
      index: start?.type === 'tool_start' ? start.index : -1,
    });
    expect(seen.tools.map((tool) => [tool.name, tool.args])).toEqual([['f', { x: 1 }]]);
    expect(seen.tools[0].id).toMatch(/^call_/);
  });

  it('decodes interleaved parallel tool calls by index', () => {
    const seen = observe(
      decodeBytes(
        new OpenAiChatStreamDecoder(COMPAT_PROFILES.generic),
        sse(
          '{"id":"a","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"c0","type":"function","function":{"name":"f","arguments":"{\\"a\\""}}]}}]}',
          '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c1","type":"function","function":{"name":"g","arguments":"{\\"b\\""}}]}}]}',
          '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]}',
          '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":":2}"}}]}}]}',
          '{"id":"a","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
          '[DONE]',
        ),
      ),
    );
    expect(seen.tools).toEqual([
      { id: 'c0', name: 'f', args: { a: 1 } },
      { id: 'c1', name: 'g', args: { b: 2 } },
    ]);
  });
});
