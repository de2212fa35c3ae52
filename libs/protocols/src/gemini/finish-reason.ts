import { IrStopReason } from '../ir/ir-response';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * A Gemini `finishReason` in IR terms. Gemini has no tool-call reason: a function call ends with
 * STOP, so the caller says whether calls were seen. Malformed/unexpected tool calls map to `stop`
 * (decision, translation.md §2.1).
 */
export function fromGeminiFinishReason(reason: string | undefined, sawToolCall: boolean): IrStopReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && FILTERED.has(reason)) return 'content_filter';
  return sawToolCall ? 'tool_calls' : 'stop';
}
