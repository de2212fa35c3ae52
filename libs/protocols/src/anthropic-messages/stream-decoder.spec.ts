import { cutPoints, decodeBytes, fixture, observe } from '../testing/harness';
import { AnthropicStreamDecoder } from './stream-decoder';

const decode = (name: string, cuts: number[] = []) =>
  decodeBytes(new AnthropicStreamDecoder(), fixture(name), cuts);

describe('AnthropicStreamDecoder', () => {
  it('decodes text then a tool call whose input arrives in fragments', () => {
    const seen = observe(decode('anthropic-messages-stream-tools.sse'));
    expect(seen.text).toBe("I'll check the current weather in Paris for you.");
    expect(seen.tools).toEqual([
      { id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', args: { location: 'Paris' } },
    ]);
    expect(seen.stop).toBe('tool_calls');
    expect(seen.usage).toEqual({ input: 377, cachedInput: 0, cacheWrite: 0, output: 65, reasoning: 0 });
  });

  it('turns a tool with no arguments into {}', () => {
    const seen = observe(decode('anthropic-messages-stream-tool-no-args.sse'));
    expect(seen.tools).toEqual([{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', args: {} }]);
  });

  it('overwrites usage with the cumulative message_delta, never adds', () => {
    const seen = observe(decode('anthropic-messages-stream-delta-input-tokens.sse'));
    expect(seen.usage?.input).toBe(61);
  });

  it('reads cache reads and writes from the final message_delta', () => {
    const seen = observe(decode('anthropic-messages-stream-cache-usage.sse'));
    expect(seen.usage).toEqual(expect.objectContaining({ input: 6, cacheWrite: 3337, cachedInput: 6289 }));
  });

  it('keeps thinking text and its signature apart from the answer', () => {
    const events = decode('anthropic-messages-stream-thinking.sse');
    const seen = observe(events);
    expect(seen.reasoning.length).toBeGreaterThan(0);
    expect(seen.text.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'reasoning_signature')).toHaveLength(1);
  });

  it('reports an overloaded error sent as the first event', () => {
    const events = decode('anthropic-messages-stream-error-overloaded.sse');
    expect(events).toEqual([
      {
        type: 'error',
        error: { status: 529, type: 'overloaded', message: 'Overloaded', code: 'overloaded_error' },
      },
    ]);
  });

  it('reports a stream cut before message_stop as an error', () => {
    const bytes = fixture('anthropic-messages-stream-tools.sse');
    const cut = bytes.subarray(0, bytes.indexOf('event: message_delta'));
    const events = decodeBytes(new AnthropicStreamDecoder(), cut);
    expect(events[events.length - 1]).toEqual(expect.objectContaining({ type: 'error' }));
  });

  it.each(['anthropic-messages-stream-tools.sse', 'anthropic-messages-stream-thinking.sse'])(
    'gives the same events for %s however the bytes are cut (mid-line, mid-UTF-8, mid-JSON)',
    (name) => {
      const whole = decode(name);
      for (const cuts of cutPoints(fixture(name))) expect(decode(name, cuts)).toEqual(whole);
    },
  );
});
