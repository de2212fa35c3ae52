import OpenAI from 'openai';
import { reply } from '../fakes/fake-upstream';
import { fixtureBytes } from '../fakes/fixtures';
import { registerUpstreams, stopUpstreams, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

type Json = Record<string, unknown>;

/**
 * Opaque reasoning state survives a round trip through the gateway and a client of another
 * protocol: Gemini's thoughtSignature through a Chat client's tool-call id, Anthropic's thinking
 * signature through a stateless Responses client's encrypted_content. Losing either makes the
 * upstream refuse the next turn (or silently reason worse).
 */
describe('reasoning state round trips through the gateway', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let client: OpenAI;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstreams = await registerUpstreams(system, ['anthropic', 'gemini']);
    client = new OpenAI({
      apiKey: (await system.adminClient.tenantWithKey()).key,
      baseURL: `${system.gatewayUrl}/v1`,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  it("brings Gemini's thoughtSignature back on the function call a Chat client replays", async () => {
    const signature = /"thoughtSignature":"([^"]+)"/.exec(
      fixtureBytes('gemini-stream-tool-call.sse').toString('utf8'),
    )?.[1];
    expect(signature).toBeTruthy();
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'weather',
          parameters: { type: 'object', properties: { location: { type: 'string' } } },
        },
      },
    ];
    upstreams.gemini.fake.serve(reply.sse('gemini-stream-tool-call.sse', { chunkSizes: [31] }));
    const first = await client.chat.completions
      .stream({ model: 'm-gemini', messages: [{ role: 'user', content: 'Weather in SF?' }], tools })
      .finalChatCompletion();
    const call = first.choices[0].message.tool_calls?.[0];
    if (!call || call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('weather');

    upstreams.gemini.fake.serve(reply.fixture('gemini-text.json'));
    await client.chat.completions.create({
      model: 'm-gemini',
      tools,
      messages: [
        { role: 'user', content: 'Weather in SF?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp_f": 61}' },
      ],
    });
    const sent = JSON.parse(upstreams.gemini.fake.last().body) as {
      contents: Array<{ role: string; parts: Json[] }>;
    };
    const model = sent.contents.find((content) => content.role === 'model');
    expect(model?.parts.find((part) => part.functionCall !== undefined)).toMatchObject({
      functionCall: { name: 'weather' },
      thoughtSignature: signature,
    });
    const answer = sent.contents
      .flatMap((content) => content.parts)
      .find((part) => part.functionResponse !== undefined);
    expect(answer).toMatchObject({ functionResponse: { name: 'weather', response: { temp_f: 61 } } });
  });

  it("brings Anthropic's thinking block and signature back through a stateless Responses client", async () => {
    const recorded = fixtureBytes('anthropic-messages-stream-thinking.sse').toString('utf8');
    const signature = /"signature":"([^"]+)"/.exec(recorded)?.[1];
    expect(signature).toBeTruthy();
    upstreams.anthropic.fake.serve(reply.sse('anthropic-messages-stream-thinking.sse', { chunkSizes: [57] }));
    const first = await client.responses
      .stream({
        model: 'm-anthropic',
        input: 'Think, then answer.',
        reasoning: { effort: 'medium', summary: 'auto' },
        store: false,
        include: ['reasoning.encrypted_content'],
      })
      .finalResponse();
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.encrypted_content).toBeTruthy();
    expect(first.usage?.output_tokens).toBeGreaterThan(0);

    upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
    await client.responses.create({
      model: 'm-anthropic',
      store: false,
      reasoning: { effort: 'medium' },
      input: [
        { role: 'user', content: 'Think, then answer.' },
        ...first.output.filter((item) => item.type === 'reasoning' || item.type === 'message'),
        { role: 'user', content: 'And now?' },
      ],
    });
    const sent = JSON.parse(upstreams.anthropic.fake.last().body) as {
      messages: Array<{ role: string; content: Json[] }>;
      thinking?: Json;
    };
    expect(sent.thinking).toMatchObject({ type: 'enabled' });
    const assistant = sent.messages.find((message) => message.role === 'assistant');
    expect(assistant?.content[0]).toMatchObject({ type: 'thinking', signature });
  });
});
