import {
  COMPAT_PROFILES,
  CompatProfile,
  decodeUpstreamResponse,
  IrStopReason,
  NormalizedUsage,
  toAnthropicStopReason,
  toOpenAiFinishReason,
  WireProtocol,
} from '@switchyard/protocols';
import { sdkBody, sdkStream } from '../../libs/protocols/src/testing/sdk-clients';
import { reply } from '../fakes/fake-upstream';
import { fixtureBytes } from '../fakes/fixtures';
import { callThrough, ClientName, sdkClients, Clients, Seen } from '../fakes/sdk-clients';
import {
  priceAt,
  registerUpstreams,
  stopUpstreams,
  UpstreamName,
  UPSTREAM_NAMES,
  Upstreams,
} from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

/**
 * The full matrix through the running gateway: every client protocol, driven by its official SDK
 * (openai for Chat Completions and Responses, @anthropic-ai/sdk for Messages), against a fake
 * upstream of every kind replaying recorded payloads, streamed and not. Each cell asserts what the
 * application sees (text, tool names and parsed arguments, stop reason, usage numbers) and that the
 * call was metered exactly once, with the upstream's usage normalised and priced.
 */

interface Expected {
  text: string;
  tools: Array<{ name: string; args: unknown }>;
  stop: IrStopReason;
  usage: NormalizedUsage;
}

interface Recording {
  wire: WireProtocol;
  profile?: CompatProfile;
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

const WEATHER = { name: 'weather', args: { location: 'San Francisco' } };

/** What each upstream answers, by the wire the gateway speaks to it: [stream, body]. */
const RECORDINGS: Record<UpstreamName, Partial<Record<WireProtocol, [Recording, Recording]>>> = {
  openai: {
    'openai-chat': [
      {
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
        wire: 'openai-chat',
        file: 'openai-chat-tool-call.json',
        expected: {
          text: '',
          tools: [{ name: 'GetWeatherArgs', args: { city: 'Edinburgh', country: 'UK', units: 'c' } }],
          stop: 'tool_calls',
          usage: u(76, 0, 0, 24, 0),
        },
      },
    ],
    'openai-responses': [
      {
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
        wire: 'openai-responses',
        file: 'responses-function-call.json',
        expected: {
          text: '',
          tools: [{ name: 'get_weather', args: { location: 'San Francisco, CA', unit: 'fahrenheit' } }],
          stop: 'tool_calls',
          usage: u(461, 0, 0, 26, 0),
        },
      },
    ],
  },
  anthropic: {
    'anthropic-messages': [
      {
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
        wire: 'anthropic-messages',
        file: 'anthropic-messages-tool-use.json',
        expected: {
          text: 'TEXT',
          tools: [{ name: 'updateIssueList', args: {} }],
          stop: 'tool_calls',
          usage: u(602, 0, 0, 93, 0),
        },
      },
    ],
  },
  gemini: {
    gemini: [
      {
        wire: 'gemini',
        file: 'gemini-stream-tool-call.sse',
        expected: { text: '', tools: [WEATHER], stop: 'tool_calls', usage: u(29, 0, 0, 60, 45) },
      },
      {
        wire: 'gemini',
        file: 'gemini-tool-call.json',
        expected: { text: '', tools: [WEATHER], stop: 'tool_calls', usage: u(29, 0, 0, 908, 893) },
      },
    ],
  },
  deepseek: {
    'openai-chat': [
      {
        wire: 'openai-chat',
        profile: COMPAT_PROFILES.deepseek,
        file: 'deepseek-stream-tool-call.sse',
        expected: { text: '', tools: [WEATHER], stop: 'tool_calls', usage: u(19, 320, 0, 83, 39) },
      },
      {
        wire: 'openai-chat',
        profile: COMPAT_PROFILES.deepseek,
        file: 'deepseek-text.json',
        expected: { text: 'TEXT', tools: [], stop: 'length', usage: deepseekTextUsage() },
      },
    ],
  },
  xai: {
    'openai-chat': [
      {
        wire: 'openai-chat',
        profile: COMPAT_PROFILES.xai,
        file: 'xai-stream-tool-call.sse',
        expected: { text: '', tools: [WEATHER], stop: 'tool_calls', usage: u(1, 290, 0, 222, 196) },
      },
      {
        wire: 'openai-chat',
        profile: COMPAT_PROFILES.xai,
        file: 'xai-tool-call.json',
        expected: { text: '', tools: [WEATHER], stop: 'tool_calls', usage: u(47, 244, 0, 215, 189) },
      },
    ],
  },
};

function deepseekTextUsage(): NormalizedUsage {
  const usage = (
    JSON.parse(fixtureBytes('deepseek-text.json').toString('utf8')) as { usage: Record<string, number> }
  ).usage;
  return u(
    usage.prompt_tokens - usage.prompt_cache_hit_tokens,
    usage.prompt_cache_hit_tokens,
    0,
    usage.completion_tokens,
    0,
  );
}

const CLIENT_PROTOCOL = {
  chat: 'openai-chat',
  responses: 'openai-responses',
  messages: 'anthropic-messages',
} as const;

/** The wire the gateway speaks to `upstream` for `client` (docs/providers.md). */
function wireFor(client: ClientName, upstream: UpstreamName): WireProtocol {
  if (upstream === 'anthropic') return 'anthropic-messages';
  if (upstream === 'gemini') return 'gemini';
  if (upstream === 'openai' && client === 'responses') return 'openai-responses';
  return 'openai-chat';
}

/** What the client should see when the answer was translated from the neutral result. */
function translatedView(client: ClientName, expected: Expected, text: string): Seen {
  const { usage } = expected;
  const prompt = usage.input + usage.cachedInput + usage.cacheWrite;
  switch (client) {
    case 'chat':
      return {
        text,
        tools: expected.tools,
        stop: toOpenAiFinishReason(expected.stop),
        usage: { prompt, completion: usage.output, cached: usage.cachedInput, reasoning: usage.reasoning },
      };
    case 'messages':
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
    case 'responses':
      return {
        text,
        tools: expected.tools,
        stop:
          expected.stop === 'length'
            ? 'incomplete:max_output_tokens'
            : expected.tools.length > 0
              ? 'completed+calls'
              : 'completed',
        usage: { input: prompt, output: usage.output, cached: usage.cachedInput, reasoning: usage.reasoning },
      };
  }
}

/** The text of a recorded body, for recordings whose text is too long to inline. */
function recordedText(recording: Recording): string {
  const response = decodeUpstreamResponse(
    recording.wire,
    fixtureBytes(recording.file).toString('utf8'),
    recording.profile,
  );
  return response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

interface UsageRow {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  usage_estimated: boolean;
  outcome: string;
  status: number;
  stream: boolean;
  protocol: string;
  price_nano_usd: string;
  model: string;
}

describe('the matrix through the gateway: every official client x every upstream kind, streamed and not', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let clients: Clients;
  let counter = 0;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstreams = await registerUpstreams(system);
    const caller = await system.adminClient.tenantWithKey();
    clients = sdkClients(system.gatewayUrl, caller.key);
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  const rowsFor = (requestId: string): Promise<UsageRow[]> =>
    system.eventually(async () => {
      const rows = await system.db.query<UsageRow>('SELECT * FROM usage_events WHERE request_id = $1', [
        requestId,
      ]);
      return rows.length > 0 ? rows : null;
    });

  const cells: Array<[string, ClientName, UpstreamName, boolean]> = [];
  for (const client of ['chat', 'responses', 'messages'] as const) {
    for (const upstream of UPSTREAM_NAMES) {
      for (const stream of [true, false])
        cells.push([`${client} -> ${upstream}${stream ? ' (stream)' : ''}`, client, upstream, stream]);
    }
  }

  it.each(cells)('%s', async (_label, client, upstreamName, stream) => {
    const upstream = upstreams[upstreamName];
    const wire = wireFor(client, upstreamName);
    const pair = RECORDINGS[upstreamName][wire];
    if (!pair) throw new Error(`no recording for ${upstreamName} over ${wire}`);
    const recording = stream ? pair[0] : pair[1];
    upstream.fake.serve(
      stream ? reply.sse(recording.file, { chunkSizes: [13, 97, 5, 400] }) : reply.fixture(recording.file),
    );
    const requestId = `matrix-${++counter}-${client}-${upstreamName}-${stream ? 's' : 'n'}`;

    const seen = await callThrough(clients, client, upstream.model, stream, requestId);

    const passThrough = CLIENT_PROTOCOL[client] === wire;
    const expectedView = passThrough
      ? await (stream ? sdkStream : sdkBody)(
          CLIENT_PROTOCOL[client],
          fixtureBytes(recording.file).toString('utf8'),
        )
      : translatedView(
          client,
          recording.expected,
          recording.expected.text === 'TEXT' ? recordedText(recording) : recording.expected.text,
        );
    expect(seen).toEqual(expectedView);
    expect(seen.tools).toEqual(recording.expected.tools);

    // What reached the upstream is in its own wire, for the upstream's model id.
    const sent = upstream.fake.last();
    const sentBody = JSON.parse(sent.body) as Record<string, unknown>;
    if (wire === 'gemini')
      expect(sent.path).toBe(
        `/v1beta/models/${upstream.upstreamModel}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      );
    else expect(sentBody.model).toBe(upstream.upstreamModel);

    const rows = await rowsFor(requestId);
    expect(rows).toHaveLength(1);
    const { usage } = recording.expected;
    expect(rows[0]).toMatchObject({
      input_tokens: usage.input,
      cached_input_tokens: usage.cachedInput,
      cache_write_tokens: usage.cacheWrite,
      output_tokens: usage.output,
      reasoning_tokens: usage.reasoning,
      usage_estimated: false,
      outcome: 'success',
      status: 200,
      stream,
      model: upstream.model,
      protocol: { chat: 'openai.chat', responses: 'openai.responses', messages: 'anthropic.messages' }[
        client
      ],
    });
    expect(rows[0].price_nano_usd).toBe(priceAt(usage));
  });
});
