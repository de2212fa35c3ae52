import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { JsonObject } from '@switchyard/common';
import {
  createClientStreamEncoder,
  createUpstreamStreamReader,
  decodeClientRequest,
  encodeUpstreamRequest,
} from './codecs';
import { ClientProtocol, IrRequest, WireProtocol } from './ir/ir-request';
import { COMPAT_PROFILES, CompatProfile } from './openai-compatible/compat-profiles';
import { arr, obj, parseJson, str } from './shared/read';
import { fakeFetch, fixture } from './testing/harness';

/**
 * Opaque reasoning state must come back to the provider that made it, through clients of other
 * protocols, and never reach a different provider: each test streams a real upstream answer to a
 * client through its official SDK, has the client send the next turn as it would, and checks
 * what the upstream receives.
 */

function translate(
  wire: WireProtocol,
  file: string,
  protocol: ClientProtocol,
  request: IrRequest,
  profile?: CompatProfile,
): string {
  const reader = createUpstreamStreamReader(wire, profile);
  const encoder = createClientStreamEncoder(protocol, { model: 'public', request });
  let sse = '';
  for (const event of [...reader.push(fixture(file)), ...reader.end()]) sse += encoder.push(event);
  return sse + encoder.end();
}

const anthropicThinkingRequest = {
  model: 'public',
  max_tokens: 4000,
  thinking: { type: 'enabled', budget_tokens: 2000 },
  messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
  tools: [
    { name: 'weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } },
  ],
  stream: true,
};

async function anthropicTurn(sse: string): Promise<Anthropic.Message> {
  const client = new Anthropic({
    apiKey: 'k',
    baseURL: 'http://gw',
    fetch: fakeFetch(sse, 'text/event-stream'),
    maxRetries: 0,
  });
  return client.messages
    .stream({ model: 'public', max_tokens: 4000, messages: [{ role: 'user', content: 'x' }] })
    .finalMessage();
}

/** The follow-up an Anthropic client sends: its history, the assistant turn as received, the results. */
function anthropicFollowUp(message: Anthropic.Message): Record<string, unknown> {
  const results = message.content.flatMap((block) =>
    block.type === 'tool_use'
      ? [{ type: 'tool_result', tool_use_id: block.id, content: '{"temp_f":61}' }]
      : [],
  );
  const replay: unknown = JSON.parse(JSON.stringify(message.content));
  return {
    ...anthropicThinkingRequest,
    messages: [
      { role: 'user', content: 'Weather in San Francisco?' },
      { role: 'assistant', content: replay },
      { role: 'user', content: results },
    ],
  };
}

function body(wire: WireProtocol, request: IrRequest, profile?: CompatProfile): JsonObject {
  return obj(parseJson(encodeUpstreamRequest(wire, request, { model: 'up', profile }).body)) ?? {};
}

describe('reasoning state round-trips to the provider that made it', () => {
  it('DeepSeek reasoning -> Anthropic client thinking block -> back to DeepSeek as reasoning_content', async () => {
    const request = decodeClientRequest('anthropic-messages', anthropicThinkingRequest);
    const message = await anthropicTurn(
      translate(
        'openai-chat',
        'deepseek-stream-tool-call.sse',
        'anthropic-messages',
        request,
        COMPAT_PROFILES.deepseek,
      ),
    );
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    const thinking = message.content[0];
    expect(
      thinking.type === 'thinking' && thinking.thinking.startsWith('The user is asking for the weather'),
    ).toBe(true);

    const next = decodeClientRequest('anthropic-messages', anthropicFollowUp(message));
    const deepseek = body('openai-chat', next, COMPAT_PROFILES.deepseek);
    const assistant = (arr(deepseek.messages) ?? []).map(obj).find((m) => m?.role === 'assistant');
    expect(str(assistant?.reasoning_content)).toMatch(/^The user is asking for the weather/);
    // The same history sent to Anthropic carries no foreign "thinking".
    expect(JSON.stringify(body('anthropic-messages', next))).not.toContain('"thinking","thinking"');
  });

  it('Anthropic thinking -> Responses client reasoning item -> back to Anthropic with the original signature', async () => {
    const request = decodeClientRequest('openai-responses', {
      model: 'public',
      input: 'x',
      reasoning: { effort: 'low', summary: 'auto' },
      stream: true,
    });
    const sse = translate(
      'anthropic-messages',
      'anthropic-messages-stream-thinking.sse',
      'openai-responses',
      request,
    );
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gw/v1',
      fetch: fakeFetch(sse, 'text/event-stream'),
      maxRetries: 0,
    });
    const response = await client.responses.stream({ model: 'public', input: 'x' }).finalResponse();
    const reasoning = response.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content?.startsWith('swy1.')).toBe(true);
    expect(response.output_text).toBe('925 ÷ 5 = 185');

    // Codex (store:false) sends the output items back as input on the next turn.
    const echoed = arr(parseJson(JSON.stringify(response.output))) ?? [];
    const next = decodeClientRequest('openai-responses', {
      model: 'public',
      input: [{ role: 'user', content: 'x' }, ...echoed, { role: 'user', content: 'and now?' }],
    });
    const anthropic = body('anthropic-messages', next);
    const assistant = (arr(anthropic.messages) ?? []).map(obj).find((m) => m?.role === 'assistant');
    const first = obj(arr(assistant?.content)?.[0]);
    expect(first?.type).toBe('thinking');
    const upstreamSignature = /"signature":"([^"]+)"/.exec(
      fixture('anthropic-messages-stream-thinking.sse').toString('utf8'),
    )?.[1];
    expect(first?.signature).toBe(upstreamSignature);
    expect(str(first?.thinking)).toMatch(/^The previous result was 925/);
    // Never to OpenAI: the wrapper is Anthropic's.
    expect(JSON.stringify(body('openai-responses', next))).not.toContain('swy1.');
  });

  it('Responses encrypted reasoning -> Anthropic client -> back to a Responses upstream unchanged', async () => {
    const request = decodeClientRequest('anthropic-messages', anthropicThinkingRequest);
    const message = await anthropicTurn(
      translate(
        'openai-responses',
        'responses-stream-reasoning-function-call.sse',
        'anthropic-messages',
        request,
      ),
    );
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    const next = decodeClientRequest('anthropic-messages', anthropicFollowUp(message));
    const responses = body('openai-responses', next);
    const item = (arr(responses.input) ?? []).map(obj).find((i) => i?.type === 'reasoning');
    // The final encrypted_content is the one on output_item.done (the .added one is provisional).
    const doneLine = fixture('responses-stream-reasoning-function-call.sse')
      .toString('utf8')
      .split('\n')
      .find((line) => line.includes('"response.output_item.done"') && line.includes('"type":"reasoning"'));
    const original = /"encrypted_content":"([^"]+)"/.exec(doneLine ?? '')?.[1];
    expect(original).toMatch(/^gAAAAA/);
    expect(item?.encrypted_content).toBe(original);
    expect(item?.id).toBe('rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9');
  });

  it('Gemini thoughtSignature -> Chat client tool-call id -> back on the Gemini functionCall', async () => {
    const request = decodeClientRequest('openai-chat', {
      model: 'public',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const sse = translate('gemini', 'gemini-stream-tool-call.sse', 'openai-chat', request);
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gw/v1',
      fetch: fakeFetch(sse, 'text/event-stream'),
      maxRetries: 0,
    });
    const done = await client.chat.completions
      .stream({ model: 'public', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion();
    const call = done.choices[0].message.tool_calls?.[0];
    if (!call || call.type !== 'function') throw new Error('no tool call');
    const next = decodeClientRequest('openai-chat', {
      model: 'public',
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: call.function.arguments },
            },
          ],
        },
        { role: 'tool', tool_call_id: call.id, content: '{"temp":61}' },
      ],
    });
    const gemini = body('gemini', next);
    const model = (arr(gemini.contents) ?? []).map(obj).find((c) => c?.role === 'model');
    const part = obj(arr(model?.parts)?.[0]);
    const original = /"thoughtSignature": ?"([^"]+)"/.exec(
      fixture('gemini-stream-tool-call.sse').toString('utf8'),
    )?.[1];
    expect(part?.thoughtSignature).toBe(original);
    // Other upstreams get a short id without the signature (OpenAI caps ids at 40 characters).
    const openai = body('openai-chat', next);
    const id = str(obj(arr(obj(arr(openai.messages)?.[1])?.tool_calls)?.[0])?.id) ?? '';
    expect(id.length).toBeLessThanOrEqual(40);
  });

  it('shows Anthropic thinking only to clients that enabled it', async () => {
    const plain = decodeClientRequest('anthropic-messages', {
      ...anthropicThinkingRequest,
      thinking: undefined,
    });
    const message = await anthropicTurn(
      translate('anthropic-messages', 'anthropic-messages-stream-thinking.sse', 'anthropic-messages', plain),
    );
    expect(message.content.map((block) => block.type)).toEqual(['text']);
    const thinking = decodeClientRequest('anthropic-messages', anthropicThinkingRequest);
    const withThinking = await anthropicTurn(
      translate(
        'anthropic-messages',
        'anthropic-messages-stream-thinking.sse',
        'anthropic-messages',
        thinking,
      ),
    );
    expect(withThinking.content.map((block) => block.type)).toEqual(['thinking', 'text']);
  });
});
