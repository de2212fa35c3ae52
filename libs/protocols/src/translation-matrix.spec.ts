import {
  createClientStreamEncoder,
  createUpstreamStreamReader,
  decodeClientRequest,
  decodeUpstreamResponse,
  encodeClientResponse,
} from './codecs';
import { ClientProtocol, IrRequest, WireProtocol } from './ir/ir-request';
import { IrStopReason } from './ir/ir-response';
import { IrStreamEvent } from './ir/ir-stream';
import { toAnthropicStopReason, toOpenAiFinishReason } from './ir/stop-reasons';
import { COMPAT_PROFILES, CompatProfileId } from './openai-compatible/compat-profiles';
import { fixture, fixtureText } from './testing/harness';
import { sdkBody, sdkStream, Seen } from './testing/sdk-clients';
import { NormalizedUsage } from './shared/usage';
import { int, obj, parseJson } from './shared/read';

/**
 * The translation matrix: every recorded upstream answer (streamed and not) of every upstream kind,
 * delivered to every client protocol, read back by the official SDK (openai, @anthropic-ai/sdk)
 * exactly as a tenant's application would. Each case asserts what the client sees: text, tool
 * names and parsed arguments, stop reason and usage numbers.
 */

interface Expected {
  text: string;
  tools: Array<{ name: string; args: unknown }>;
  stop: IrStopReason;
  usage: NormalizedUsage;
}

interface UpstreamCase {
  label: string;
  wire: WireProtocol;
  profile?: CompatProfileId;
  file: string;
  expected: Expected;
}

const u = (
  input: number,
  cachedInput: number,
  cacheWrite: number,
  output: number,
  reasoning: number,
): NormalizedUsage => ({
  input,
  cachedInput,
  cacheWrite,
  output,
  reasoning,
});

const STREAMS: UpstreamCase[] = [
  {
    label: 'openai text',
    wire: 'openai-chat',
    file: 'openai-chat-stream-text-usage.sse',
    expected: {
      text: 'TEXT:openai-chat-stream-text-usage',
      tools: [],
      stop: 'stop',
      usage: u(14, 0, 0, 30, 0),
    },
  },
  {
    label: 'openai parallel tools',
    wire: 'openai-chat',
    file: 'openai-chat-stream-tools-parallel.sse',
    expected: {
      text: '',
      tools: [
        { name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'GB', units: 'c' } },
        { name: 'get_stock_price', args: { ticker: 'AAPL', exchange: 'NASDAQ' } },
      ],
      stop: 'tool_calls',
      usage: u(149, 0, 0, 60, 0),
    },
  },
  {
    label: 'openai_compatible tool index gap',
    wire: 'openai-chat',
    profile: 'generic',
    file: 'openai-compat-stream-tool-index-gap.sse',
    expected: {
      text: 'Reading it.',
      tools: [{ name: 'read_file', args: { path: 'a.txt' } }],
      stop: 'tool_calls',
      usage: u(0, 0, 0, 0, 0),
    },
  },
  {
    label: 'deepseek reasoning + tool',
    wire: 'openai-chat',
    profile: 'deepseek',
    file: 'deepseek-stream-tool-call.sse',
    expected: {
      text: '',
      tools: [{ name: 'weather', args: { location: 'San Francisco' } }],
      stop: 'tool_calls',
      usage: u(19, 320, 0, 83, 39),
    },
  },
  {
    label: 'xai one-delta tool',
    wire: 'openai-chat',
    profile: 'xai',
    file: 'xai-stream-tool-call.sse',
    expected: {
      text: '',
      tools: [{ name: 'weather', args: { location: 'San Francisco' } }],
      stop: 'tool_calls',
      usage: u(1, 290, 0, 222, 196),
    },
  },
  {
    label: 'responses function call',
    wire: 'openai-responses',
    file: 'responses-stream-function-call.sse',
    expected: {
      text: '',
      tools: [{ name: 'get_weather', args: { location: 'San Francisco, CA', unit: 'fahrenheit' } }],
      stop: 'tool_calls',
      usage: u(467, 0, 0, 26, 0),
    },
  },
  {
    label: 'responses text',
    wire: 'openai-responses',
    file: 'responses-stream-text.sse',
    expected: { text: '`arm64` (Apple Silicon).', tools: [], stop: 'stop', usage: u(444, 0, 0, 12, 0) },
  },
  {
    label: 'anthropic text + tool',
    wire: 'anthropic-messages',
    file: 'anthropic-messages-stream-tools.sse',
    expected: {
      text: "I'll check the current weather in Paris for you.",
      tools: [{ name: 'get_weather', args: { location: 'Paris' } }],
      stop: 'tool_calls',
      usage: u(377, 0, 0, 65, 0),
    },
  },
  {
    label: 'anthropic tool without args',
    wire: 'anthropic-messages',
    file: 'anthropic-messages-stream-tool-no-args.sse',
    expected: {
      text: "I'll update the issue list for you.",
      tools: [{ name: 'updateIssueList', args: {} }],
      stop: 'tool_calls',
      usage: u(565, 0, 0, 48, 0),
    },
  },
  {
    label: 'anthropic cache usage',
    wire: 'anthropic-messages',
    file: 'anthropic-messages-stream-cache-usage.sse',
    expected: {
      text: 'The sum of the squares of the numbers 1 through 12 is **650**.',
      tools: [],
      stop: 'stop',
      usage: u(6, 6289, 3337, 198, 0),
    },
  },
  {
    label: 'gemini text',
    wire: 'gemini',
    file: 'gemini-stream-text.sse',
    expected: {
      text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
      tools: [],
      stop: 'stop',
      usage: u(9, 0, 0, 208, 185),
    },
  },
  {
    label: 'gemini tool call',
    wire: 'gemini',
    file: 'gemini-stream-tool-call.sse',
    expected: {
      text: '',
      tools: [{ name: 'weather', args: { location: 'San Francisco' } }],
      stop: 'tool_calls',
      usage: u(29, 0, 0, 60, 45),
    },
  },
];

const BODIES: UpstreamCase[] = [
  {
    label: 'openai tool call',
    wire: 'openai-chat',
    file: 'openai-chat-tool-call.json',
    expected: {
      text: '',
      tools: [{ name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'UK', units: 'c' } }],
      stop: 'tool_calls',
      usage: u(76, 0, 0, 24, 0),
    },
  },
  {
    label: 'deepseek text cut by length',
    wire: 'openai-chat',
    profile: 'deepseek',
    file: 'deepseek-text.json',
    expected: { text: 'TEXT:deepseek-text', tools: [], stop: 'length', usage: usageOf('deepseek-text.json') },
  },
  {
    label: 'xai tool call',
    wire: 'openai-chat',
    profile: 'xai',
    file: 'xai-tool-call.json',
    expected: {
      text: '',
      tools: [{ name: 'weather', args: { location: 'San Francisco' } }],
      stop: 'tool_calls',
      usage: u(47, 244, 0, 215, 189),
    },
  },
  {
    label: 'responses function call',
    wire: 'openai-responses',
    file: 'responses-function-call.json',
    expected: {
      text: '',
      tools: [{ name: 'get_weather', args: { location: 'San Francisco, CA', unit: 'fahrenheit' } }],
      stop: 'tool_calls',
      usage: u(461, 0, 0, 26, 0),
    },
  },
  {
    label: 'anthropic text',
    wire: 'anthropic-messages',
    file: 'anthropic-messages-text.json',
    expected: {
      text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      tools: [],
      stop: 'stop',
      usage: u(12, 0, 0, 29, 0),
    },
  },
  {
    label: 'anthropic tool use',
    wire: 'anthropic-messages',
    file: 'anthropic-messages-tool-use.json',
    expected: {
      text: 'TEXT:anthropic-messages-tool-use',
      tools: [{ name: 'updateIssueList', args: {} }],
      stop: 'tool_calls',
      usage: u(602, 0, 0, 93, 0),
    },
  },
  {
    label: 'gemini tool call',
    wire: 'gemini',
    file: 'gemini-tool-call.json',
    expected: {
      text: '',
      tools: [{ name: 'weather', args: { location: 'San Francisco' } }],
      stop: 'tool_calls',
      usage: u(29, 0, 0, 908, 893),
    },
  },
];

/** Reads the expected usage of a body fixture straight from its JSON (for long fixtures). */
function usageOf(file: string): NormalizedUsage {
  const usage = obj(obj(parseJson(fixtureText(file)))?.usage) ?? {};
  const prompt = int(usage.prompt_tokens) ?? 0;
  const hit = int(usage.prompt_cache_hit_tokens) ?? 0;
  return u(prompt - hit, hit, 0, int(usage.completion_tokens) ?? 0, 0);
}

/** Text expectations too long to inline are read from the fixture's own text field. */
function expectedText(expected: Expected, decoded: string): string {
  return expected.text.startsWith('TEXT:') ? decoded : expected.text;
}

const CLIENT_BODIES: Record<ClientProtocol, (stream: boolean) => Record<string, unknown>> = {
  'openai-chat': (stream) => ({
    model: 'public-model',
    messages: [{ role: 'user', content: 'hi' }],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  }),
  'openai-responses': (stream) => ({
    model: 'public-model',
    input: 'hi',
    ...(stream ? { stream: true } : {}),
  }),
  'anthropic-messages': (stream) => ({
    model: 'public-model',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'hi' }],
    ...(stream ? { stream: true } : {}),
  }),
};

/** What each client protocol should show for the expected neutral result. */
function clientExpectation(
  protocol: ClientProtocol,
  expected: Expected,
  text: string,
  streamed: boolean,
): Seen {
  const { usage } = expected;
  const prompt = usage.input + usage.cachedInput + usage.cacheWrite;
  switch (protocol) {
    case 'openai-chat':
      return {
        text,
        tools: expected.tools,
        stop: toOpenAiFinishReason(expected.stop),
        usage: { prompt, completion: usage.output, cached: usage.cachedInput, reasoning: usage.reasoning },
      };
    case 'anthropic-messages':
      return {
        text,
        tools: expected.tools,
        stop: toAnthropicStopReason(expected.stop),
        usage: {
          input: usage.input,
          output: usage.output,
          cacheRead: usage.cachedInput,
          cacheWrite: usage.cacheWrite,
        },
      };
    case 'openai-responses':
      return {
        text,
        tools: expected.tools,
        stop:
          expected.stop === 'length'
            ? 'incomplete:max_output_tokens'
            : expected.tools.length > 0
              ? 'completed+calls'
              : 'completed',
        usage:
          streamed || prompt + usage.output > 0
            ? { input: prompt, output: usage.output, cached: usage.cachedInput, reasoning: usage.reasoning }
            : { input: -1, output: -1, cached: -1, reasoning: -1 },
      };
  }
}

function decodeStream(upstream: UpstreamCase): IrStreamEvent[] {
  const reader = createUpstreamStreamReader(
    upstream.wire,
    upstream.profile ? COMPAT_PROFILES[upstream.profile] : undefined,
  );
  return [...reader.push(fixture(upstream.file)), ...reader.end()];
}

const CLIENTS: ClientProtocol[] = ['openai-chat', 'openai-responses', 'anthropic-messages'];

describe('translation matrix (streaming): upstream fixture -> IR -> client SSE -> official SDK', () => {
  describe.each(CLIENTS)('client %s', (protocol) => {
    it.each(STREAMS.map((c) => [c.label, c] as const))('%s', async (_label, upstream) => {
      const request: IrRequest = decodeClientRequest(protocol, CLIENT_BODIES[protocol](true));
      const events = decodeStream(upstream);
      const text = events.reduce((all, event) => (event.type === 'text_delta' ? all + event.text : all), '');
      const encoder = createClientStreamEncoder(protocol, { model: 'public-model', request });
      let sse = '';
      for (const event of events) sse += encoder.push(event);
      sse += encoder.end();
      const seen = await sdkStream(protocol, sse);
      const expected = clientExpectation(
        protocol,
        upstream.expected,
        expectedText(upstream.expected, text),
        true,
      );
      if (
        upstream.expected.usage.input + upstream.expected.usage.output === 0 &&
        protocol === 'openai-chat'
      ) {
        expected.usage = { prompt: -1, completion: -1, cached: -1, reasoning: -1 }; // upstream sent no usage at all
      }
      if (
        upstream.expected.usage.input + upstream.expected.usage.output === 0 &&
        protocol === 'openai-responses'
      ) {
        expected.usage = { input: -1, output: -1, cached: -1, reasoning: -1 };
      }
      expect(seen).toEqual(expected);
      expect(text.length > 0).toBe(upstream.expected.text !== '');
    });
  });
});

describe('translation matrix (non-streaming): upstream body -> IR -> client body -> official SDK', () => {
  describe.each(CLIENTS)('client %s', (protocol) => {
    it.each(BODIES.map((c) => [c.label, c] as const))('%s', async (_label, upstream) => {
      const request = decodeClientRequest(protocol, CLIENT_BODIES[protocol](false));
      const response = decodeUpstreamResponse(
        upstream.wire,
        fixtureText(upstream.file),
        upstream.profile ? COMPAT_PROFILES[upstream.profile] : undefined,
      );
      const text = response.content.reduce((all, part) => (part.type === 'text' ? all + part.text : all), '');
      const seen = await sdkBody(
        protocol,
        encodeClientResponse(protocol, response, { model: 'public-model', request }),
      );
      expect(seen).toEqual(
        clientExpectation(protocol, upstream.expected, expectedText(upstream.expected, text), false),
      );
      expect(text.length > 0).toBe(upstream.expected.text !== '');
    });
  });
});

describe('interleaved parallel tool calls from a compatible server', () => {
  const sse = [
    '{"id":"a","choices":[{"index":0,"delta":{"role":"assistant","content":"Checking both."}}]}',
    '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c0","type":"function","function":{"name":"f","arguments":"{\\"a\\""}}]}}]}',
    '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c1","type":"function","function":{"name":"g","arguments":"{\\"b\\""}}]}}]}',
    '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]}',
    '{"id":"a","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":":2}"}}]}}]}',
    '{"id":"a","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":7}}',
    '[DONE]',
  ]
    .map((chunk) => `data: ${chunk}\n\n`)
    .join('');

  it.each(CLIENTS)('reach a %s client as two whole calls, in order', async (protocol) => {
    const reader = createUpstreamStreamReader('openai-chat', COMPAT_PROFILES.generic);
    const encoder = createClientStreamEncoder(protocol, {
      model: 'public-model',
      request: decodeClientRequest(protocol, CLIENT_BODIES[protocol](true)),
    });
    let out = '';
    for (const event of [...reader.push(Buffer.from(sse)), ...reader.end()]) out += encoder.push(event);
    const seen = await sdkStream(protocol, out + encoder.end());
    expect(seen.text).toBe('Checking both.');
    expect(seen.tools).toEqual([
      { name: 'f', args: { a: 1 } },
      { name: 'g', args: { b: 2 } },
    ]);
  });
});
