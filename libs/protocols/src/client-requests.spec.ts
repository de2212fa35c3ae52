import { JsonObject, JsonValue } from '@switchyard/common';
import { decodeClientRequest, encodeUpstreamRequest, UpstreamEncodeOptions } from './codecs';
import { ClientProtocol, IrRequest, WireProtocol } from './ir/ir-request';
import { COMPAT_PROFILES } from './openai-compatible/compat-profiles';
import { ProtocolError } from './shared/errors';
import { arr, obj, parseJson, str } from './shared/read';
import { requestFixture } from './testing/harness';

/**
 * The requests real clients send (captured Claude Code, Codex, openai-node and AI SDK bodies),
 * decoded into the IR and encoded for every upstream kind: what must survive does.
 */

const FIXTURES: Array<[string, ClientProtocol]> = [
  ['claude-code-messages-first-turn.json', 'anthropic-messages'],
  ['claude-code-messages-tool-result-turn.json', 'anthropic-messages'],
  ['claude-code-messages-bearer-thinking-budget.json', 'anthropic-messages'],
  ['claude-code-0.2.107-oauth-tool-result-turn.json', 'anthropic-messages'],
  ['ai-sdk-anthropic-tools-thinking.json', 'anthropic-messages'],
  ['codex-responses-lite-first-turn.json', 'openai-responses'],
  ['codex-responses-lite-custom-tool-output.json', 'openai-responses'],
  ['codex-responses-function-call-output.json', 'openai-responses'],
  ['ai-sdk-openai-responses-tools.json', 'openai-responses'],
  ['openai-node-chat-tools-stream.json', 'openai-chat'],
  ['openai-node-chat-parallel-tool-results.json', 'openai-chat'],
  ['ai-sdk-openai-chat-tools-stream.json', 'openai-chat'],
  ['ai-sdk-openai-chat-tool-results.json', 'openai-chat'],
];

const UPSTREAMS: Array<[string, WireProtocol, UpstreamEncodeOptions]> = [
  ['openai (chat)', 'openai-chat', { model: 'gpt-up' }],
  ['openai (responses)', 'openai-responses', { model: 'gpt-up' }],
  ['anthropic', 'anthropic-messages', { model: 'claude-up' }],
  ['gemini', 'gemini', { model: 'gemini-up' }],
  ['deepseek', 'openai-chat', { model: 'deepseek-chat', profile: COMPAT_PROFILES.deepseek }],
  ['xai', 'openai-chat', { model: 'grok-4', profile: COMPAT_PROFILES.xai }],
];

/** Codex declares OpenAI's hosted web_search: an operator must allow dropping it elsewhere. */
const CODEX_DROPPABLE = new Set(['tools.web_search']);

function decode(name: string, protocol: ClientProtocol): IrRequest {
  return decodeClientRequest(protocol, requestFixture(name).body);
}

function encode(request: IrRequest, wire: WireProtocol, options: UpstreamEncodeOptions): JsonObject {
  const encoded = encodeUpstreamRequest(wire, request, { ...options, droppable: CODEX_DROPPABLE });
  const body = obj(parseJson(encoded.body));
  if (!body) throw new Error('encoder produced no JSON object');
  return body;
}

const list = (value: JsonValue | undefined): JsonObject[] =>
  (arr(value) ?? []).flatMap((item) => (obj(item) ? [obj(item) ?? {}] : []));

describe('client request fixtures reach every upstream kind', () => {
  describe.each(FIXTURES)('%s', (name, protocol) => {
    it.each(UPSTREAMS)('encodes for %s', (_label, wire, options) => {
      const request = decode(name, protocol);
      const body = encode(request, wire, options);
      // The model is always the upstream's, never the client's public name.
      if (wire !== 'gemini') expect(body.model).toBe(options.model);
      const size = JSON.stringify(body).length;
      expect(size).toBeGreaterThan(100);
      // Every tool the client declared (except hosted ones) reaches the upstream.
      const declared = request.tools.filter((tool) => tool.kind !== 'hosted').length;
      expect(countTools(wire, body)).toBe(declared);
    });
  });
});

function countTools(wire: WireProtocol, body: JsonObject): number {
  if (wire === 'gemini')
    return list(body.tools).reduce((n, group) => n + list(group.functionDeclarations).length, 0);
  if (wire === 'openai-responses') {
    return list(body.tools).reduce(
      (n, tool) =>
        n + (tool.type === 'namespace' ? list(tool.tools).length : tool.type === 'web_search' ? 0 : 1),
      0,
    );
  }
  return list(body.tools).length;
}

describe('Claude Code (Messages API) requests', () => {
  const turn = (): IrRequest => decode('claude-code-messages-tool-result-turn.json', 'anthropic-messages');

  it('round-trips to Anthropic keeping thinking first, signatures and cache_control', () => {
    const original = requestFixture('claude-code-messages-tool-result-turn.json').body;
    const body = encode(turn(), 'anthropic-messages', { model: 'claude-up' });
    const originalMessages = list(original.messages).filter((message) => message.role !== 'system');
    expect(body.messages).toEqual(originalMessages);
    // The mid-conversation system message is hoisted after the system blocks, which keep their cache_control.
    const system = list(body.system);
    expect(system.slice(0, 3)).toEqual(list(original.system));
    expect(str(system[3].text)).toContain('# Environment');
    expect(body.tools).toEqual(original.tools);
    expect(body.thinking).toEqual(original.thinking);
    expect(body.output_config).toEqual(original.output_config);
    expect(body.context_management).toEqual(original.context_management);
    expect(body.metadata).toEqual(original.metadata);
  });

  it('accepts role "system" inside messages and keeps its text', () => {
    const request = decode('claude-code-messages-first-turn.json', 'anthropic-messages');
    expect(request.system.map((part) => part.text).join('')).toContain('# Environment');
    expect(request.messages.map((message) => message.role)).toEqual(['user']);
  });

  it('maps tool_use / tool_result to Chat tool_calls and a tool message by id, dropping thinking', () => {
    const body = encode(turn(), 'openai-chat', { model: 'gpt-up' });
    const messages = list(body.messages);
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const assistant = messages[2];
    expect(assistant.content).toBe('Reading the file.');
    expect(list(assistant.tool_calls)).toEqual([
      {
        id: 'toolu_01MockReadCall0001',
        type: 'function',
        function: { name: 'Read', arguments: '{"file_path":"/home/dev/proj/hello.txt"}' },
      },
    ]);
    expect(messages[3]).toEqual({
      role: 'tool',
      tool_call_id: 'toolu_01MockReadCall0001',
      content: '1\thello from the fixture file\n2\t',
    });
    expect(JSON.stringify(body)).not.toContain('MockSignature');
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('maps the tool loop to Gemini functionCall / functionResponse by name', () => {
    const body = encode(turn(), 'gemini', { model: 'gemini-up' });
    const contents = list(body.contents);
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(list(contents[1].parts)).toEqual([
      { text: 'Reading the file.' },
      { functionCall: { name: 'Read', args: { file_path: '/home/dev/proj/hello.txt' } } },
    ]);
    expect(list(contents[2].parts)).toEqual([
      { functionResponse: { name: 'Read', response: { output: '1\thello from the fixture file\n2\t' } } },
    ]);
    // AI-SDK style `$schema` markers are stripped; Gemini reads plain JSON Schema.
    expect(JSON.stringify(body.tools)).not.toContain('$schema');
  });

  it('maps the tool loop to Responses function_call / function_call_output by call_id', () => {
    const body = encode(turn(), 'openai-responses', { model: 'gpt-up' });
    const items = list(body.input);
    expect(items.map((item) => str(item.type) ?? str(item.role))).toEqual([
      'user',
      'message',
      'function_call',
      'function_call_output',
    ]);
    expect(items[2]).toEqual({
      type: 'function_call',
      call_id: 'toolu_01MockReadCall0001',
      name: 'Read',
      arguments: '{"file_path":"/home/dev/proj/hello.txt"}',
    });
    expect(items[3]).toEqual({
      type: 'function_call_output',
      call_id: 'toolu_01MockReadCall0001',
      output: '1\thello from the fixture file\n2\t',
    });
    expect(body.store).toBe(false);
  });

  it('keeps budget_tokens below max_tokens (31999 < 32000)', () => {
    const body = encode(
      decode('claude-code-messages-bearer-thinking-budget.json', 'anthropic-messages'),
      'anthropic-messages',
      { model: 'claude-up' },
    );
    expect(body.max_tokens).toBe(32000);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 31999, display: 'omitted' });
  });

  it('decodes count_tokens bodies without max_tokens', () => {
    const request = decodeClientRequest(
      'anthropic-messages',
      requestFixture('claude-code-count-tokens.json').body,
      { countTokens: true },
    );
    expect(request.tools).toHaveLength(1);
    expect(() =>
      decodeClientRequest('anthropic-messages', requestFixture('claude-code-count-tokens.json').body),
    ).toThrow(ProtocolError);
  });
});

describe('Codex (Responses API) requests', () => {
  it('merges additional_tools into the tool list and keeps namespaces and the custom tool', () => {
    const request = decode('codex-responses-lite-first-turn.json', 'openai-responses');
    const exec = request.tools.find((tool) => tool.kind === 'custom');
    expect(exec).toEqual(expect.objectContaining({ kind: 'custom', name: 'exec', namespace: 'functions' }));
    expect(request.system.length).toBeGreaterThan(0);
    expect(request.parallelToolCalls).toBe(false);
  });

  it('round-trips to a Responses upstream with encrypted reasoning, custom calls and outputs intact', () => {
    const original = requestFixture('codex-responses-lite-custom-tool-output.json').body;
    const body = encode(
      decode('codex-responses-lite-custom-tool-output.json', 'openai-responses'),
      'openai-responses',
      { model: 'gpt-up' },
    );
    const items = list(body.input);
    const reasoning = items.find((item) => item.type === 'reasoning');
    expect(reasoning).toEqual({
      type: 'reasoning',
      id: 'rs_mock0001',
      summary: [],
      encrypted_content: 'gAAAAABmockEncryptedReasoningBlobForConformanceTests==',
    });
    const call = items.find((item) => item.type === 'custom_tool_call');
    const originalCall = list(original.input).find((item) => item.type === 'custom_tool_call');
    expect(call?.input).toBe(originalCall?.input);
    expect(call?.call_id).toBe('call_mock0001');
    const output = items.find((item) => item.type === 'custom_tool_call_output');
    expect(output?.call_id).toBe('call_mock0001');
    expect(body.parallel_tool_calls).toBe(false);
    expect(body.prompt_cache_key).toBe(original.prompt_cache_key);
    expect(body.include).toEqual(['reasoning.encrypted_content']);
    expect(body.store).toBe(false);
    expect(obj(body.text)?.verbosity).toBe('low');
    const namespaces = list(body.tools)
      .filter((tool) => tool.type === 'namespace')
      .map((tool) => tool.name);
    expect(namespaces).toEqual(['functions', 'clock', 'collaboration']);
  });

  it('turns custom tool calls into one-string functions for Anthropic, raw input preserved', () => {
    const body = encode(
      decode('codex-responses-lite-custom-tool-output.json', 'openai-responses'),
      'anthropic-messages',
      { model: 'claude-up' },
    );
    const exec = list(body.tools).find((tool) => tool.name === 'exec');
    expect(obj(exec?.input_schema)?.required).toEqual(['input']);
    const messages = list(body.messages);
    const assistant = messages.find((message) => message.role === 'assistant');
    const use = list(assistant?.content).find((block) => block.type === 'tool_use');
    expect(use?.input).toEqual({
      input: 'const r = await tools.exec_command({cmd: "cat hello.txt"});\ntext(r);',
    });
    // OpenAI's encrypted reasoning never reaches Anthropic.
    expect(JSON.stringify(body)).not.toContain('gAAAAABmock');
    const result = list(messages[messages.length - 1].content)[0];
    expect(result).toEqual(expect.objectContaining({ type: 'tool_result', tool_use_id: 'call_mock0001' }));
    expect(str(result.content)).toContain('hello from the fixture file');
  });

  it('maps function_call_output to a Chat tool message by call_id and developer messages to system', () => {
    const body = encode(
      decode('codex-responses-function-call-output.json', 'openai-responses'),
      'openai-chat',
      { model: 'gpt-up' },
    );
    const messages = list(body.messages);
    expect(messages[0].role).toBe('system');
    expect(str(messages[0].content)).toContain('You are a coding agent');
    const tool = messages.find((message) => message.role === 'tool');
    expect(tool?.tool_call_id).toBe('call_mock0001');
    const assistant = messages.find((message) => message.role === 'assistant');
    expect(list(assistant?.tool_calls)[0]).toEqual({
      id: 'call_mock0001',
      type: 'function',
      function: { name: 'exec_command', arguments: '{"cmd": "cat hello.txt", "workdir": "/home/dev/proj"}' },
    });
    expect(body.reasoning_effort).toBe('high');
  });

  it('refuses the hosted web_search tool on other vendors unless the operator allows dropping it', () => {
    const request = decode('codex-responses-function-call-output.json', 'openai-responses');
    expect(() => encodeUpstreamRequest('anthropic-messages', request, { model: 'claude-up' })).toThrow(
      'unsupported parameter tools.web_search for upstream kind anthropic',
    );
    const encoded = encodeUpstreamRequest('anthropic-messages', request, {
      model: 'claude-up',
      droppable: CODEX_DROPPABLE,
    });
    expect(encoded.dropped).toContain('tools.web_search');
  });

  it('maps the AI SDK developer-role input item to the system prompt', () => {
    const body = encode(
      decode('ai-sdk-openai-responses-tools.json', 'openai-responses'),
      'anthropic-messages',
      { model: 'claude-up' },
    );
    expect(body.system).toEqual([{ type: 'text', text: 'You are a helpful weather assistant.' }]);
  });
});

describe('Chat Completions requests', () => {
  it('groups parallel tool results into one Anthropic user turn, in order', () => {
    const body = encode(
      decode('openai-node-chat-parallel-tool-results.json', 'openai-chat'),
      'anthropic-messages',
      { model: 'claude-up' },
    );
    const messages = list(body.messages);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(list(messages[1].content).map((block) => block.id)).toEqual(['call_mockA', 'call_mockB']);
    expect(list(messages[2].content).map((block) => [block.type, block.tool_use_id])).toEqual([
      ['tool_result', 'call_mockA'],
      ['tool_result', 'call_mockB'],
    ]);
    expect(body.system).toEqual([{ type: 'text', text: 'You are a helpful weather assistant.' }]);
  });

  it('maps parallel tool results to Responses function_call x2 then function_call_output x2', () => {
    const body = encode(
      decode('openai-node-chat-parallel-tool-results.json', 'openai-chat'),
      'openai-responses',
      { model: 'gpt-up' },
    );
    expect(list(body.input).map((item) => str(item.type) ?? str(item.role))).toEqual([
      'user',
      'function_call',
      'function_call',
      'function_call_output',
      'function_call_output',
    ]);
  });

  it('keeps the client include_usage wish and always asks the upstream for usage', () => {
    const request = decode('openai-node-chat-tools-stream.json', 'openai-chat');
    expect(request.wantUsage).toBe(true);
    const body = encode({ ...request, wantUsage: false }, 'openai-chat', { model: 'gpt-up' });
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('maps Gemini function responses to the calls they answer', () => {
    const body = encode(decode('ai-sdk-openai-chat-tool-results.json', 'openai-chat'), 'gemini', {
      model: 'gemini-up',
    });
    const contents = list(body.contents);
    expect(list(contents[2].parts)).toEqual([
      { functionResponse: { name: 'get_weather', response: { city: 'Paris', tempC: 18 } } },
      { functionResponse: { name: 'get_weather', response: { city: 'Tokyo', tempC: 18 } } },
    ]);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are a helpful weather assistant.' }] });
  });
});
