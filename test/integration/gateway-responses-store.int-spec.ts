import OpenAI from 'openai';
import { StoredResponsesPurgeScheduler } from '@switchyard/billing-worker-app';
import { reply } from '../fakes/fake-upstream';
import { fixtureBytes } from '../fakes/fixtures';
import { registerUpstreams, stopUpstreams, UpstreamName, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

type Json = Record<string, unknown>;

/**
 * `previous_response_id` for responses created through the gateway: each stored answer (per
 * tenant, unless `store: false`) lets the next turn go to any upstream, with the earlier turns
 * spelled out for upstreams that do not hold them, and the id alone for the OpenAI account that
 * made it.
 */
describe('POST /v1/responses with previous_response_id', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let client: OpenAI;
  let other: OpenAI;
  let tenantId: string;

  beforeAll(async () => {
    system = await TestSystem.start();
    upstreams = await registerUpstreams(system, ['openai', 'anthropic', 'gemini']);
    const caller = await system.adminClient.tenantWithKey('acme');
    tenantId = caller.tenantId;
    client = new OpenAI({ apiKey: caller.key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
    const stranger = await system.adminClient.tenantWithKey('globex');
    other = new OpenAI({ apiKey: stranger.key, baseURL: `${system.gatewayUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  const sentTo = (name: UpstreamName): Json => JSON.parse(upstreams[name].fake.last().body) as Json;

  it('continues a conversation made on Anthropic with Gemini, the history spelled out', async () => {
    upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
    const first = await client.responses.create({
      model: 'm-anthropic',
      instructions: 'Be brief.',
      input: 'How are you?',
    });
    expect(first.id).toMatch(/^resp_/);
    expect(first.output_text).toContain("I'm doing well");
    const [row] = await system.db.query<{ tenant_id: string; upstream_stored: boolean }>(
      'SELECT * FROM stored_responses WHERE id = $1',
      [first.id],
    );
    expect(row).toMatchObject({ tenant_id: tenantId, upstream_stored: false });

    upstreams.gemini.fake.serve(reply.sse('gemini-stream-text.sse'));
    const second = await client.responses
      .stream({ model: 'm-gemini', previous_response_id: first.id, input: 'And the letters?' })
      .finalResponse();
    expect(second.output_text).toContain('strawberry');
    const contents = (
      sentTo('gemini').contents as Array<{ role: string; parts: Array<{ text?: string }> }>
    ).map((content) => ({
      role: content.role,
      text: content.parts.map((part) => part.text ?? '').join(''),
    }));
    expect(contents).toEqual([
      { role: 'user', text: 'How are you?' },
      { role: 'model', text: first.output_text },
      { role: 'user', text: 'And the letters?' },
    ]);

    // A third turn walks the whole chain, oldest first.
    upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
    await client.responses.create({
      model: 'm-anthropic',
      previous_response_id: second.id,
      input: 'Thanks.',
    });
    const messages = sentTo('anthropic').messages as Array<{ role: string }>;
    expect(messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
  });

  it("keeps another tenant's responses out of reach, and says which id is unknown", async () => {
    upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
    const mine = await client.responses.create({ model: 'm-anthropic', input: 'secret plans' });
    const before = upstreams.anthropic.fake.requests.length;
    const error = await other.responses
      .create({ model: 'm-anthropic', previous_response_id: mine.id, input: 'what did they say?' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    if (error instanceof OpenAI.BadRequestError) {
      expect(error.message).toContain(`Previous response with id '${mine.id}' not found.`);
      expect(error.param).toBe('previous_response_id');
    }
    expect(upstreams.anthropic.fake.requests.length).toBe(before);
  });

  it('does not store a response sent with store: false, and forgets expired ones', async () => {
    upstreams.gemini.fake.serve(reply.fixture('gemini-text.json'));
    const unstored = await client.responses.create({ model: 'm-gemini', input: 'hi', store: false });
    expect(await system.db.query('SELECT 1 FROM stored_responses WHERE id = $1', [unstored.id])).toHaveLength(
      0,
    );
    await expect(
      client.responses.create({ model: 'm-gemini', previous_response_id: unstored.id, input: 'again' }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);

    upstreams.gemini.fake.serve(reply.fixture('gemini-text.json'));
    const old = await client.responses.create({ model: 'm-gemini', input: 'hi' });
    await system.db.query(
      `UPDATE stored_responses SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [old.id],
    );
    await expect(
      client.responses.create({ model: 'm-gemini', previous_response_id: old.id, input: 'again' }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);

    // The worker's purge removes the expired rows and nothing else.
    const count = async (where: string): Promise<number> =>
      Number(
        (await system.db.query<{ n: string }>(`SELECT count(*) AS n FROM stored_responses WHERE ${where}`))[0]
          .n,
      );
    const expired = await count('expires_at < now()');
    const live = await count('expires_at >= now()');
    expect(expired).toBeGreaterThanOrEqual(1);
    const purge = system.worker!.get(StoredResponsesPurgeScheduler);
    expect(await purge.purge()).toBe(expired);
    expect(await system.db.query('SELECT 1 FROM stored_responses WHERE id = $1', [old.id])).toHaveLength(0);
    expect(await count('true')).toBe(live);
    expect(await purge.purge()).toBe(0);
  });

  it('sends only the id to the OpenAI account that holds the response, and the history to anyone else', async () => {
    upstreams.openai.fake.serve(reply.fixture('responses-text.json'));
    const first = await client.responses.create({ model: 'm-openai', input: 'Which architecture?' });
    expect(first.id).toBe('resp_06a97f431a8c75fa006994e8315b948190b6dc8aec4581c6c9');
    const [row] = await system.db.query<{ upstream_stored: boolean }>(
      'SELECT upstream_stored FROM stored_responses WHERE id = $1',
      [first.id],
    );
    expect(row.upstream_stored).toBe(true);

    const followUp = {
      ...(JSON.parse(fixtureBytes('responses-text.json').toString('utf8')) as Json),
      id: 'resp_second_turn_0001',
    };
    upstreams.openai.fake.serve(reply.json(followUp));
    await client.responses.create({ model: 'm-openai', previous_response_id: first.id, input: 'Sure?' });
    expect(sentTo('openai')).toMatchObject({
      previous_response_id: first.id,
      input: 'Sure?',
      model: upstreams.openai.upstreamModel,
    });

    upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
    await client.responses.create({ model: 'm-anthropic', previous_response_id: first.id, input: 'Sure?' });
    const messages = sentTo('anthropic').messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(messages[1].content)).toContain('`arm64` (Apple Silicon).');
  });

  it('stores a streamed answer before the client sees it complete', async () => {
    upstreams.openai.fake.serve(reply.sse('responses-stream-text.sse', { chunkSizes: [50] }));
    const stream = client.responses.stream({ model: 'm-openai', input: 'arch?' });
    let completedId = '';
    for await (const event of stream) {
      if (event.type === 'response.completed') {
        completedId = event.response.id;
        // The row exists by the time the completed event arrives.
        expect(
          await system.db.query('SELECT 1 FROM stored_responses WHERE id = $1', [completedId]),
        ).toHaveLength(1);
      }
    }
    expect(completedId).toMatch(/^resp_/);

    upstreams.anthropic.fake.serve(reply.sse('anthropic-messages-stream-text.sse', { chunkSizes: [40] }));
    const translated = client.responses.stream({ model: 'm-anthropic', input: 'hello' });
    for await (const event of translated) {
      if (event.type === 'response.completed') {
        expect(
          await system.db.query('SELECT 1 FROM stored_responses WHERE id = $1', [event.response.id]),
        ).toHaveLength(1);
      }
    }
  });
});
