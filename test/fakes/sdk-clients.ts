import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

/** The client protocols, named as the routes that serve them. */
export type ClientName = 'chat' | 'responses' | 'messages';

/** What a tenant's application sees of one answer, through the official SDK. */
export interface Seen {
  text: string;
  tools: Array<{ name: string; args: unknown }>;
  stop: string;
  usage: Record<string, number>;
}

/** Tools the fixtures call, so translated answers find their definitions. */
const TOOL_NAMES = [
  'get_weather',
  'GetWeatherArgs',
  'get_stock_price',
  'weather',
  'updateIssueList',
  'read_file',
];
const SCHEMA = { type: 'object', properties: {}, additionalProperties: true } as const;

export interface Clients {
  openai: OpenAI;
  anthropic: Anthropic;
}

/** Both official SDKs pointed at the gateway: OpenAI at `/v1`, Anthropic at the root, as their docs say. */
export function sdkClients(gatewayUrl: string, key: string): Clients {
  return {
    openai: new OpenAI({ apiKey: key, baseURL: `${gatewayUrl}/v1`, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: key, baseURL: gatewayUrl, maxRetries: 0 }),
  };
}

/** Calls `model` through `client` (streamed or not) and returns what the application sees. */
export async function callThrough(
  clients: Clients,
  client: ClientName,
  model: string,
  stream: boolean,
  requestId: string,
): Promise<Seen> {
  const options = { headers: { 'x-request-id': requestId } };
  switch (client) {
    case 'chat': {
      const body = {
        model,
        messages: [{ role: 'user' as const, content: 'What is the weather?' }],
        tools: TOOL_NAMES.map((name) => ({
          type: 'function' as const,
          function: { name, parameters: SCHEMA },
        })),
      };
      const done = stream
        ? await clients.openai.chat.completions
            .stream({ ...body, stream_options: { include_usage: true } }, options)
            .finalChatCompletion()
        : await clients.openai.chat.completions.create(body, options);
      const choice = done.choices[0];
      return {
        text: choice.message.content ?? '',
        tools: (choice.message.tool_calls ?? []).map((call) =>
          call.type === 'function'
            ? { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown }
            : { name: call.custom.name, args: call.custom.input },
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
    case 'responses': {
      const body = {
        model,
        input: 'What is the weather?',
        tools: TOOL_NAMES.map((name) => ({
          type: 'function' as const,
          name,
          parameters: SCHEMA,
          strict: false,
        })),
      };
      const response = stream
        ? await clients.openai.responses.stream(body, options).finalResponse()
        : await clients.openai.responses.create(body, options);
      return responsesSeen(response);
    }
    case 'messages': {
      const body = {
        model,
        max_tokens: 1024,
        messages: [{ role: 'user' as const, content: 'What is the weather?' }],
        tools: TOOL_NAMES.map((name) => ({ name, input_schema: SCHEMA })),
      };
      const message = stream
        ? await clients.anthropic.messages.stream(body, options).finalMessage()
        : await clients.anthropic.messages.create(body, options);
      return messagesSeen(message);
    }
  }
}

export function messagesSeen(message: Anthropic.Message): Seen {
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

export function responsesSeen(response: OpenAI.Responses.Response): Seen {
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
