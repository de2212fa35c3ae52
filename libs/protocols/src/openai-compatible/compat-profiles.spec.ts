import { decodeOpenAiChatRequest } from '../openai-chat/request-decoder';
import { encodeOpenAiChatRequest } from '../openai-chat/request-encoder';
import { OpenAiChatStreamDecoder } from '../openai-chat/stream-decoder';
import { obj, parseJson } from '../shared/read';
import { decodeBytes, observe } from '../testing/harness';
import { compatProfile, COMPAT_PROFILES, CompatProfile } from './compat-profiles';

const request = decodeOpenAiChatRequest({
  model: 'public',
  messages: [{ role: 'user', content: 'hi' }],
  stop: ['END'],
  max_tokens: 100,
  top_k: 20,
  reasoning_effort: 'medium',
  user: 'u1',
});

const encode = (profile: CompatProfile, model = 'm', droppable: string[] = []) => {
  const encoded = encodeOpenAiChatRequest(request, { model, profile, droppable: new Set(droppable) });
  return { body: obj(parseJson(encoded.body)) ?? {}, dropped: encoded.dropped };
};

const sse = (...chunks: string[]): Buffer =>
  Buffer.from(chunks.map((chunk) => `data: ${chunk}\n\n`).join(''));

describe('openai_compatible profiles', () => {
  it('documents every profile and falls back to generic for unknown names', () => {
    for (const profile of Object.values(COMPAT_PROFILES)) expect(profile.notes.length).toBeGreaterThan(0);
    expect(compatProfile('nope')).toBe(COMPAT_PROFILES.generic);
    expect(compatProfile('xai')).toBe(COMPAT_PROFILES.xai);
  });

  it('sends max_completion_tokens to OpenAI and max_tokens to compatible servers', () => {
    expect(encode(COMPAT_PROFILES.openai, 'm', ['top_k']).body.max_completion_tokens).toBe(100);
    expect(encode(COMPAT_PROFILES.deepseek, 'm', ['top_k']).body.max_tokens).toBe(100);
  });

  it('xAI: refuses stop on reasoning models, keeps it on others, maps effort to low/high', () => {
    expect(() => encode(COMPAT_PROFILES.xai, 'grok-4', ['top_k'])).toThrow(
      'unsupported parameter stop for upstream kind openai_compatible',
    );
    const old = encode(COMPAT_PROFILES.xai, 'grok-2', ['top_k']).body;
    expect(old.stop).toEqual(['END']);
    expect(old.reasoning_effort).toBe('high');
    expect(old.user).toBe('u1');
  });

  it('Qwen, vLLM and Together accept top_k; the generic profile refuses it', () => {
    expect(encode(COMPAT_PROFILES.qwen).body.top_k).toBe(20);
    expect(encode(COMPAT_PROFILES.vllm).body.top_k).toBe(20);
    expect(() => encode(COMPAT_PROFILES.generic)).toThrow('unsupported parameter top_k');
  });

  it('DeepSeek: no reasoning_effort (the reasoner always thinks), user left out', () => {
    const { body, dropped } = encode(COMPAT_PROFILES.deepseek, 'deepseek-reasoner', ['top_k']);
    expect(body.reasoning_effort).toBeUndefined();
    expect(dropped).toEqual(expect.arrayContaining(['top_k', 'reasoning', 'user']));
  });

  it('Groq: reads usage from x_groq.usage and reasoning from `reasoning`', () => {
    const events = decodeBytes(
      new OpenAiChatStreamDecoder(COMPAT_PROFILES.groq),
      sse(
        '{"id":"g","model":"llama","choices":[{"index":0,"delta":{"role":"assistant","reasoning":"thinking"}}]}',
        '{"id":"g","model":"llama","choices":[{"index":0,"delta":{"content":"hi"}}]}',
        '{"id":"g","model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"usage":{"prompt_tokens":9,"completion_tokens":3}}}',
        '[DONE]',
      ),
    );
    const seen = observe(events);
    expect(seen.reasoning).toBe('thinking');
    expect(seen.usage).toEqual({ input: 9, cachedInput: 0, cacheWrite: 0, output: 3, reasoning: 0 });
  });

  it('Qwen: later tool deltas that repeat id and name as "" extend the same call', () => {
    const seen = observe(
      decodeBytes(
        new OpenAiChatStreamDecoder(COMPAT_PROFILES.qwen),
        sse(
          '{"id":"q","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\":"}}]}}]}',
          '{"id":"q","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"","type":"function","function":{"name":"","arguments":"1}"}}]}}]}',
          '{"id":"q","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
          '[DONE]',
        ),
      ),
    );
    expect(seen.tools).toEqual([{ id: 'call_1', name: 'f', args: { a: 1 } }]);
  });

  it('vLLM: finish_reason on the chunk with the last fragment, then EOF without [DONE]', () => {
    const seen = observe(
      decodeBytes(
        new OpenAiChatStreamDecoder(COMPAT_PROFILES.vllm),
        sse(
          '{"id":"v","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"chatcmpl-tool-1","type":"function","function":{"name":"f","arguments":"{\\"a\\""}}]}}]}',
          '{"id":"v","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":2}"}}]},"finish_reason":"tool_calls","stop_reason":128008}]}',
        ),
      ),
    );
    expect(seen.tools).toEqual([{ id: 'chatcmpl-tool-1', name: 'f', args: { a: 2 } }]);
    expect(seen.stop).toBe('tool_calls');
    expect(seen.error).toBeNull();
  });

  it('Ollama: a whole tool call in one delta without an index; parallel_tool_calls dropped', () => {
    const seen = observe(
      decodeBytes(
        new OpenAiChatStreamDecoder(COMPAT_PROFILES.ollama),
        sse(
          '{"id":"o","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_x","function":{"name":"f","arguments":"{}"}}]}}]}',
          '{"id":"o","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
          '[DONE]',
        ),
      ),
    );
    expect(seen.tools).toEqual([{ id: 'call_x', name: 'f', args: {} }]);
    const withTools = {
      ...request,
      stop: [],
      topK: undefined,
      tools: [{ kind: 'function' as const, name: 'f' }],
      parallelToolCalls: true,
    };
    const encoded = encodeOpenAiChatRequest(withTools, { model: 'llama3', profile: COMPAT_PROFILES.ollama });
    expect(encoded.dropped).toContain('parallel_tool_calls');
  });

  it('maps non-standard finish reasons (eos, end_turn) and unknown ones to stop', () => {
    const stop = (reason: string) =>
      observe(
        decodeBytes(
          new OpenAiChatStreamDecoder(COMPAT_PROFILES.generic),
          sse(
            `{"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":"a"},"finish_reason":"${reason}"}]}`,
            '[DONE]',
          ),
        ),
      ).stop;
    expect(stop('eos')).toBe('stop');
    expect(stop('max_tokens')).toBe('length');
    expect(stop('something_new')).toBe('stop');
  });
});
