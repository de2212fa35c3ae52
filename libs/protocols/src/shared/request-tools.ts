import { IrContentPart, IrPart, IrRequest } from '../ir/ir-request';
import { estimateTokensFromBytes } from './usage';

/**
 * Request-level helpers the gateway calls between decoding and encoding.
 */

function mapParts(request: IrRequest, map: (part: IrContentPart) => IrContentPart): IrRequest {
  const each = (part: IrPart): IrPart => {
    if (part.type === 'tool_result') return { ...part, content: part.content.map(map) };
    if (part.type === 'text' || part.type === 'image' || part.type === 'file') return map(part);
    return part;
  };
  return {
    ...request,
    messages: request.messages.map((message) => ({ ...message, parts: message.parts.map(each) })),
  };
}

/**
 * Web image URLs in a request. Gemini only reliably reads its own file URIs, so the gateway
 * fetches these (size-limited, with its HTTP client) and hands them to inlineImages.
 */
export function collectImageUrls(request: IrRequest): string[] {
  const urls = new Set<string>();
  const visit = (part: IrPart): void => {
    if (part.type === 'image' && part.source.kind === 'url' && /^https?:\/\//.test(part.source.url))
      urls.add(part.source.url);
    if (part.type === 'tool_result') part.content.forEach(visit);
  };
  for (const message of request.messages) message.parts.forEach(visit);
  return [...urls];
}

/** The request with each fetched URL image replaced by its base64 bytes. */
export function inlineImages(
  request: IrRequest,
  fetched: ReadonlyMap<string, { mediaType: string; data: string }>,
): IrRequest {
  return mapParts(request, (part) => {
    if (part.type !== 'image' || part.source.kind !== 'url') return part;
    const image = fetched.get(part.source.url);
    return image
      ? { ...part, source: { kind: 'base64', mediaType: image.mediaType, data: image.data } }
      : part;
  });
}

/** Tokens a base64 image is counted as by the estimate (providers bill images by size, ~1.5k typical). */
const IMAGE_TOKENS = 1600;

/**
 * Estimated input tokens of a request, for `/v1/messages/count_tokens` against upstreams without
 * a counting endpoint and for metering when an upstream reports no usage. Counts the system
 * prompt, every message and every tool definition (Claude Code's count_tokens calls are mostly
 * tools: counting messages alone undercounts by ~90%).
 */
export function estimateRequestTokens(request: IrRequest): number {
  let bytes = 0;
  let images = 0;
  const visit = (part: IrPart): void => {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        bytes += Buffer.byteLength(part.text, 'utf8');
        break;
      case 'tool_call':
        bytes += Buffer.byteLength(part.name, 'utf8') + Buffer.byteLength(part.argsJson, 'utf8');
        break;
      case 'tool_result':
        part.content.forEach(visit);
        break;
      case 'image':
        images++;
        break;
      case 'file':
        bytes += part.data ? Math.floor((part.data.length * 3) / 4) : 0;
        break;
    }
  };
  for (const part of request.system) bytes += Buffer.byteLength(part.text, 'utf8');
  for (const message of request.messages) message.parts.forEach(visit);
  for (const tool of request.tools)
    bytes += Buffer.byteLength(JSON.stringify(tool.kind === 'hosted' ? tool.raw : tool), 'utf8');
  return estimateTokensFromBytes(bytes) + images * IMAGE_TOKENS;
}
