import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ClientProtocol } from '../ir/ir-request';
import { fakeFetch } from './harness';

/** Test-only: reads gateway output with the official SDKs, as a tenant's application would. */

export interface Seen {
  text: string;
  tools: Array<{ name: string; args: unknown }>;
  stop: string;
  usage: Record<string, number>;
}

/** Runs an SSE body through the client protocol's official SDK and returns what the app sees. */
export async function sdkStream(protocol: ClientProtocol, sse: string): Promise<Seen> {
  const fetch = fakeFetch(sse, 'text/event-stream');
  if (protocol === 'openai-chat') {
    const client = new OpenAI({ apiKey: 'k', baseURL: 'http://gw/v1', fetch, maxRetries: 0 });
    const done = await client.chat.completions
      .stream({
        model: 'public-model',
        messages: [{ role: 'user', content: 'hi' }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const choice = done.choices[0];
    return {
      text: choice.message.content ?? choice.message.refusal ?? '',
      tools: (choice.message.tool_calls ?? []).map((call) =>
        call.type === 'function'
          ? { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown }
          : { name: '', args: null },
      ),
      stop: choice.finish_reason,
      usage: {
        prompt: done.usage?.prompt_tokens ?? -1,
        completion: done.usage?.completion_tokens ?? -1,
        cached: done.usage?.prompt_tokens_details?.cached_tokens ?? -1,
        reasoning: done.usage?.completion_tokens_details?.reasoning_tokens ?? -1,
      },
    };
  }
  if (protocol === 'anthropic-messages') {
    const client = new Anthropic({ apiKey: 'k', baseURL: 'http://gw', fetch, maxRetries: 0 });
    const message = await client.messages
      .stream({ model: 'public-model', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    return anthropicSeen(message);
  }
  const client = new OpenAI({ apiKey: 'k', baseURL: 'http://gw/v1', fetch, maxRetries: 0 });
  const response = await client.responses.stream({ model: 'public-model', input: 'hi' }).finalResponse();
  return responsesSeen(response);
}

export async function sdkBody(protocol: ClientProtocol, body: string): Promise<Seen> {
  const fetch = fakeFetch(body, 'application/json');
  if (protocol === 'openai-chat') {
    const client = new OpenAI({ apiKey: 'k', baseURL: 'http://gw/v1', fetch, maxRetries: 0 });
    const done = await client.chat.completions.create({
      model: 'public-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const choice = done.choices[0];
    return {
      text: choice.message.content ?? '',
      tools: (choice.message.tool_calls ?? []).map((call) =>
        call.type === 'function'
          ? { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown }
          : { name: '', args: null },
      ),
      stop: choice.finish_reason,
      usage: {
        prompt: done.usage?.prompt_tokens ?? -1,
        completion: done.usage?.completion_tokens ?? -1,
        cached: done.usage?.prompt_tokens_details?.cached_tokens ?? -1,
        reasoning: done.usage?.completion_tokens_details?.reasoning_tokens ?? -1,
      },
    };
  }
  if (protocol === 'anthropic-messages') {
    const client = new Anthropic({ apiKey: 'k', baseURL: 'http://gw', fetch, maxRetries: 0 });
    return anthropicSeen(
      await client.messages.create({
        model: 'public-model',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
  }
  const client = new OpenAI({ apiKey: 'k', baseURL: 'http://gw/v1', fetch, maxRetries: 0 });
  return responsesSeen(await client.responses.create({ model: 'public-model', input: 'hi' }));
}

function anthropicSeen(message: Anthropic.Message): Seen {
  return {
    text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
    tools: message.content.flatMap((block) =>
      block.type === 'tool_use' ? [{ name: block.name, args: block.input }] : [],
    ),
    stop: message.stop_reason ?? 'null',
    usage: {
      input: message.usage.input_tokens,
      output: message.usage.output_tokens,
      cacheRead: message.usage.cache_read_input_tokens ?? -1,
      cacheWrite: message.usage.cache_creation_input_tokens ?? -1,
    },
  };
}

function responsesSeen(response: OpenAI.Responses.Response): Seen {
  const calls = response.output.flatMap((item) =>
    item.type === 'function_call' ? [{ name: item.name, args: JSON.parse(item.arguments) as unknown }] : [],
  );
  return {
    text: response.output_text,
    tools: calls,
    stop:
      response.status === 'incomplete'
        ? `incomplete:${response.incomplete_details?.reason ?? ''}`
        : calls.length > 0
          ? 'completed+calls'
          : (response.status ?? 'null'),
    usage: {
      input: response.usage?.input_tokens ?? -1,
      output: response.usage?.output_tokens ?? -1,
      cached: response.usage?.input_tokens_details.cached_tokens ?? -1,
      reasoning: response.usage?.output_tokens_details.reasoning_tokens ?? -1,
    },
  };
}
