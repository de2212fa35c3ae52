import { createUpstreamStreamReader } from '../codecs';
import { arr, obj, parseJson } from '../shared/read';
import { cutPoints, decodeBytes, fixture, fixtureText, observe } from '../testing/harness';
import { decodeGeminiRequest } from './request-decoder';
import { encodeGeminiRequest } from './request-encoder';
import { decodeGeminiResponse } from './response-decoder';
import { encodeGeminiResponse, GeminiStreamEncoder } from './response-encoder';
import { GeminiStreamDecoder } from './stream-decoder';

const recording = (name: string, interaction: number): { request: unknown; segments: readonly unknown[] } => {
  const root = obj(parseJson(fixtureText(name)));
  const entry = obj(arr(root?.interactions)?.[interaction]);
  return {
    request: arr(obj(entry?.request)?.bodySegments)?.[0],
    segments: arr(obj(entry?.response)?.bodySegments) ?? [],
  };
};

describe('Gemini stream decoder', () => {
  it('assembles Vertex partialArgs fragments into whole calls', () => {
    const seen = observe(decodeBytes(new GeminiStreamDecoder(), fixture('gemini-stream-partial-args.sse')));
    expect(seen.tools.map((tool) => [tool.name, tool.args])).toEqual([
      ['getWeather', { location: 'Boston' }],
      ['getWeather', { location: 'San Francisco' }],
    ]);
    expect(seen.stop).toBe('tool_calls');
    expect(seen.usage).toEqual({ input: 26, cachedInput: 0, cacheWrite: 0, output: 155, reasoning: 132 });
  });

  it('treats a stream that closes without a finishReason as cut short', () => {
    const bytes = fixture('gemini-stream-text.sse');
    const cut = bytes.subarray(0, bytes.lastIndexOf(Buffer.from('data:')));
    expect(observe(decodeBytes(new GeminiStreamDecoder(), cut)).error).toMatch(/finishReason/);
  });

  it.each(['gemini-stream-text.sse', 'gemini-stream-tool-call.sse'])(
    'gives the same events for %s however it is cut',
    (name) => {
      // Gemini sends no call ids: the minted part of each id differs per decode, the signature does not.
      const decode = (cuts: number[]) =>
        decodeBytes(new GeminiStreamDecoder(), fixture(name), cuts).map((event) =>
          event.type === 'tool_start'
            ? { ...event, id: event.id.replace(/^call_[A-Za-z0-9_-]{16}/, 'call_') }
            : event,
        );
      const whole = decode([]);
      for (const cuts of cutPoints(fixture(name))) expect(decode(cuts)).toEqual(whole);
    },
  );

  it('keeps thought parts out of the answer (includeThoughts)', () => {
    const { segments } = recording('gemini-recording-thinking.json', 0);
    const response = decodeGeminiResponse(JSON.stringify(segments[0]));
    expect(response.content.map((part) => part.type)).toEqual(['reasoning']);
    expect(response.stopReason).toBe('length');
    expect(response.usage?.reasoning).toBe(19);
  });
});

describe('Gemini request codec', () => {
  it('round-trips the recorded functionCall / functionResponse request', () => {
    const { request } = recording('gemini-recording-stream-function-response.json', 1);
    const ir = decodeGeminiRequest(request, { model: 'gemini-2.0-flash', stream: true });
    expect(ir.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    const encoded = obj(parseJson(encodeGeminiRequest(ir, { model: 'gemini-2.0-flash' }).body));
    const original = obj(request);
    expect(encoded?.contents).toEqual(original?.contents);
    expect(encoded?.tools).toEqual(original?.tools);
    expect(encoded?.toolConfig).toEqual(original?.toolConfig);
  });
});

describe('Gemini client encoders', () => {
  it('re-encodes any upstream stream as a Gemini stream that decodes to the same result', () => {
    const reader = createUpstreamStreamReader('anthropic-messages');
    const events = [...reader.push(fixture('anthropic-messages-stream-tools.sse')), ...reader.end()];
    const encoder = new GeminiStreamEncoder({ model: 'gemini-public' });
    let sse = '';
    for (const event of events) sse += encoder.push(event);
    const again = observe(decodeBytes(new GeminiStreamDecoder(), Buffer.from(sse + encoder.end())));
    const original = observe(events);
    expect(again.text).toBe(original.text);
    expect(again.tools.map((tool) => [tool.name, tool.args])).toEqual(
      original.tools.map((tool) => [tool.name, tool.args]),
    );
    expect(again.stop).toBe('tool_calls');
    expect(again.usage).toEqual(original.usage);
  });

  it('re-encodes a response body with usage in Gemini terms', () => {
    const response = decodeGeminiResponse(fixtureText('gemini-tool-call.json'));
    const again = decodeGeminiResponse(encodeGeminiResponse(response, { model: 'gemini-public' }));
    expect(again.content).toEqual(
      response.content.map((part) =>
        part.type === 'tool_call' ? { ...part, id: expect.stringMatching(/^call_/) } : part,
      ),
    );
    const first = again.content[0];
    expect(first?.type === 'tool_call' && first.argsJson).toBe('{"location":"San Francisco"}');
    expect(again.usage).toEqual(response.usage);
    expect(again.stopReason).toBe('tool_calls');
  });
});
