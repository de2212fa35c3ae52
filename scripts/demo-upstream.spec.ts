import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

// The demo upstream is what the quick start's first curl reaches; it is started here exactly as
// a user's machine would run it (a separate node process), and called with the official SDK.
const API_KEY = 'sk-demo-upstream-test';
const hello = { model: 'demo-1', messages: [{ role: 'user' as const, content: 'Say hello' }] };
// 3 (reply priming) + 4 (message framing) + ceil('"Say hello"'.length / 4) = 3 + 4 + 3
const HELLO_PROMPT_TOKENS = 10;

let upstream: ChildProcess;
let baseURL: string;

async function startUpstream(): Promise<{ child: ChildProcess; baseURL: string }> {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'demo-upstream.mjs'), '--port', '0', '--api-key', API_KEY],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  for await (const chunk of child.stdout ?? []) {
    output += String(chunk);
    const match = /^listening (\S+)$/m.exec(output);
    if (match?.[1]) return { child, baseURL: match[1] };
  }
  throw new Error(`demo upstream exited before listening: ${output}`);
}

const sdk = (apiKey = API_KEY): OpenAI => new OpenAI({ apiKey, baseURL, maxRetries: 0 });

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

beforeAll(async () => {
  ({ child: upstream, baseURL } = await startUpstream());
});

afterAll(async () => {
  const exited = once(upstream, 'exit');
  upstream.kill('SIGTERM');
  const [code] = await exited;
  expect(code).toBe(0);
});

describe('demo upstream', () => {
  it('answers a chat completion with the canned reply and usage that adds up', async () => {
    const completion = await sdk().chat.completions.create(hello);

    const content = completion.choices[0]?.message.content ?? '';
    expect(content.startsWith('Hello from the Switchyard demo upstream!')).toBe(true);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('demo-1');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: HELLO_PROMPT_TOKENS,
      completion_tokens: content.split(' ').length,
      total_tokens: HELLO_PROMPT_TOKENS + content.split(' ').length,
    });
  });

  it('streams the same reply chunk by chunk and ends with a usage chunk when asked', async () => {
    const whole = await sdk().chat.completions.create(hello);
    const chunks = await collect(
      await sdk().chat.completions.create({
        ...hello,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );

    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.length).toBeGreaterThan(10);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(whole.usage);
    expect(chunks[chunks.length - 2]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('sends no usage field at all when the client did not ask for it', async () => {
    const chunks = await collect(await sdk().chat.completions.create({ ...hello, stream: true }));

    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('stop');
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const completion = await sdk().chat.completions.create({ ...hello, max_tokens: 3 });

    expect(completion.choices[0]?.message.content).toBe('Hello from the');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('lists its one model', async () => {
    const models = await sdk().models.list();

    expect(models.data.map((m) => m.id)).toEqual(['demo-1']);
  });

  it('refuses an empty message list with a 400 in the OpenAI error shape', async () => {
    const error = await sdk()
      .chat.completions.create({ model: 'demo-1', messages: [] })
      .then(
        () => null,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('missing_required_parameter');
  });

  it('refuses a wrong API key with a 401 when started with --api-key', async () => {
    const error = await sdk('sk-wrong')
      .models.list()
      .then(
        () => null,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
