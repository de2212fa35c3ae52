import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { ImageFetcher, isPublicAddress } from '@switchyard/providers';
import { reply } from '../fakes/fake-upstream';
import { registerUpstreams, stopUpstreams, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

type Json = Record<string, unknown>;

/** A PNG's first bytes: enough for the gateway, which never decodes images. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

/**
 * Image URLs: passed on as URLs to upstreams that fetch them (OpenAI, Anthropic), fetched and
 * inlined by the gateway for Gemini, within limits and never from a private address.
 */
describe('image URLs through the gateway', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let client: OpenAI;
  let images: Server;
  let imageBase = '';

  beforeAll(async () => {
    system = await TestSystem.start();
    upstreams = await registerUpstreams(system, ['anthropic', 'gemini']);
    client = new OpenAI({
      apiKey: (await system.adminClient.tenantWithKey()).key,
      baseURL: `${system.gatewayUrl}/v1`,
      maxRetries: 0,
    });
    images = createServer((req, res) => {
      if (req.url === '/cat.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      else if (req.url === '/page') res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      else if (req.url === '/huge.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.alloc(11 * 1024 * 1024));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
    await new Promise<void>((resolve) => images?.close(() => resolve()));
  });

  const ask = (model: string, url: string) =>
    client.chat.completions.create({
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ],
    });

  it('refuses to fetch from a private address for Gemini (no SSRF), in the client shape', async () => {
    const error = await ask('m-gemini', `${imageBase}/cat.png`).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    if (error instanceof OpenAI.BadRequestError) expect(error.message).toContain('private address');
    expect(isPublicAddress('127.0.0.1')).toBe(false);
    expect(isPublicAddress('10.1.2.3')).toBe(false);
    expect(isPublicAddress('::1')).toBe(false);
    expect(isPublicAddress('8.8.8.8')).toBe(true);
  });

  describe('with the local image server allowed', () => {
    beforeAll(() => system.gateway.get(ImageFetcher).allowAddresses(() => true));

    it('inlines the image as base64 for Gemini', async () => {
      upstreams.gemini.fake.serve(reply.fixture('gemini-text.json'));
      await ask('m-gemini', `${imageBase}/cat.png`);
      const sent = JSON.parse(upstreams.gemini.fake.last().body) as { contents: Array<{ parts: Json[] }> };
      expect(sent.contents[0].parts).toContainEqual({
        inlineData: { mimeType: 'image/png', data: PNG.toString('base64') },
      });
    });

    it('refuses what is not an image, or too large', async () => {
      await expect(ask('m-gemini', `${imageBase}/page`)).rejects.toMatchObject({ status: 400 });
      await expect(ask('m-gemini', `${imageBase}/huge.png`)).rejects.toMatchObject({ status: 400 });
      await expect(ask('m-gemini', `${imageBase}/missing.png`)).rejects.toMatchObject({ status: 400 });
    });

    it('passes the URL on to Anthropic, which fetches it itself', async () => {
      upstreams.anthropic.fake.serve(reply.fixture('anthropic-messages-text.json'));
      await ask('m-anthropic', `${imageBase}/cat.png`);
      const sent = JSON.parse(upstreams.anthropic.fake.last().body) as {
        messages: Array<{ content: Json[] }>;
      };
      expect(sent.messages[0].content).toContainEqual({
        type: 'image',
        source: { type: 'url', url: `${imageBase}/cat.png` },
      });
    });
  });
});
