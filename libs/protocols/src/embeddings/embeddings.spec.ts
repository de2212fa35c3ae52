import { ProtocolError, UpstreamResponseError } from '../shared/errors';
import { fixtureText } from '../testing/harness';
import {
  decodeEmbeddingsRequest,
  decodeGeminiEmbeddingsResponse,
  embeddingsAsBase64,
  embeddingsPromptTokens,
  encodeGeminiEmbeddingsRequest,
  encodeOpenAiEmbeddingsResponse,
  floatsToBase64,
} from './embeddings';

describe('embeddings: OpenAI shape in, OpenAI or Gemini out', () => {
  it('reads strings, lists and token ids, and refuses anything else', () => {
    expect(decodeEmbeddingsRequest({ model: 'm', input: 'hi' })).toEqual({
      model: 'm',
      format: 'float',
      texts: ['hi'],
      single: true,
      tokenInput: false,
    });
    expect(
      decodeEmbeddingsRequest({ model: 'm', input: ['a', 'b'], encoding_format: 'base64', dimensions: 8 }),
    ).toEqual({
      model: 'm',
      format: 'base64',
      dimensions: 8,
      texts: ['a', 'b'],
      single: false,
      tokenInput: false,
    });
    expect(decodeEmbeddingsRequest({ model: 'm', input: [[1, 2], [3]] }).tokenInput).toBe(true);
    for (const body of [
      { model: 'm', input: [] },
      { model: 'm', input: [1, 'a'] },
      { model: 'm', input: 'x', encoding_format: 'int8' },
      { input: 'x' },
      { model: 'm', input: 'x', dimensions: 0 },
    ]) {
      expect(() => decodeEmbeddingsRequest(body)).toThrow(ProtocolError);
    }
  });

  it('writes embedContent for one text and batchEmbedContents for a list, with outputDimensionality', () => {
    expect(
      encodeGeminiEmbeddingsRequest(
        decodeEmbeddingsRequest({ model: 'm', input: 'hi', dimensions: 3 }),
        'text-embedding-004',
      ),
    ).toEqual({
      batch: false,
      body: JSON.stringify({
        model: 'models/text-embedding-004',
        content: { parts: [{ text: 'hi' }] },
        outputDimensionality: 3,
      }),
    });
    const batch = encodeGeminiEmbeddingsRequest(
      decodeEmbeddingsRequest({ model: 'm', input: ['a', 'b'] }),
      'e',
    );
    expect(batch.batch).toBe(true);
    expect(JSON.parse(batch.body)).toEqual({
      requests: [
        { model: 'models/e', content: { parts: [{ text: 'a' }] } },
        { model: 'models/e', content: { parts: [{ text: 'b' }] } },
      ],
    });
    expect(() =>
      encodeGeminiEmbeddingsRequest(decodeEmbeddingsRequest({ model: 'm', input: [1, 2] }), 'e'),
    ).toThrow('unsupported parameter input for upstream kind gemini');
  });

  it('reads both Gemini answer shapes and refuses garbage', () => {
    expect(decodeGeminiEmbeddingsResponse('{"embedding":{"values":[1,2]}}')).toEqual([[1, 2]]);
    expect(decodeGeminiEmbeddingsResponse('{"embeddings":[{"values":[1]},{"values":[2]}]}')).toEqual([
      [1],
      [2],
    ]);
    for (const text of ['<html>', '{}', '{"embedding":{"values":["x"]}}'])
      expect(() => decodeGeminiEmbeddingsResponse(text)).toThrow(UpstreamResponseError);
  });

  it('produces the base64 OpenAI returns: the recorded float answer encodes to the recorded base64 one', () => {
    const floats = JSON.parse(fixtureText('openai-embeddings-float.json')) as {
      data: Array<{ embedding: number[] }>;
    };
    const base64 = JSON.parse(fixtureText('openai-embeddings-base64.json')) as {
      data: Array<{ embedding: string }>;
    };
    const decoded = Buffer.from(base64.data[0].embedding, 'base64');
    const values = Array.from({ length: decoded.length / 4 }, (_, i) => decoded.readFloatLE(i * 4));
    expect(floatsToBase64(values)).toBe(base64.data[0].embedding);
    expect(floats.data[0].embedding).toHaveLength(values.length);

    const converted = JSON.parse(embeddingsAsBase64(fixtureText('openai-embeddings-float.json')) ?? '{}') as {
      data: Array<{ embedding: string }>;
      usage: unknown;
    };
    expect(typeof converted.data[0].embedding).toBe('string');
    expect(converted.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 });
    expect(embeddingsAsBase64(fixtureText('openai-embeddings-base64.json'))).toBeNull();
    expect(embeddingsPromptTokens(fixtureText('openai-embeddings-float.json'))).toBe(1);
  });

  it('encodes an OpenAI list for the client, floats or base64', () => {
    const body = JSON.parse(encodeOpenAiEmbeddingsResponse([[0.5, 1]], 'pub', 'base64', 7)) as Record<
      string,
      unknown
    >;
    expect(body).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: floatsToBase64([0.5, 1]) }],
      model: 'pub',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  });
});
