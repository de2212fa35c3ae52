import { decodeAnthropicRequest } from '../anthropic-messages/request-decoder';
import { decodeOpenAiChatRequest } from '../openai-chat/request-decoder';
import { requestFixture } from '../testing/harness';
import { collectImageUrls, estimateRequestTokens, inlineImages } from './request-tools';

describe('request helpers', () => {
  const withImages = decodeOpenAiChatRequest({
    model: 'm',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ],
  });

  it('lists web image URLs and inlines what the gateway fetched', () => {
    expect(collectImageUrls(withImages)).toEqual(['https://example.com/cat.png']);
    const inlined = inlineImages(
      withImages,
      new Map([['https://example.com/cat.png', { mediaType: 'image/png', data: 'AAAA' }]]),
    );
    expect(collectImageUrls(inlined)).toEqual([]);
    expect(inlined.messages[0].parts[1]).toEqual({
      type: 'image',
      source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' },
    });
    expect(withImages.messages[0].parts[1]).toEqual({
      type: 'image',
      source: { kind: 'url', url: 'https://example.com/cat.png' },
    });
  });

  it('counts tools and system for Claude Code count_tokens, not just the dummy message', () => {
    const request = decodeAnthropicRequest(requestFixture('claude-code-count-tokens.json').body, {
      countTokens: true,
    });
    const tokens = estimateRequestTokens(request);
    const messagesOnly = estimateRequestTokens({ ...request, tools: [] });
    expect(messagesOnly).toBe(1); // "foo"
    expect(tokens).toBeGreaterThan(100);
  });
});
