import { IrStopReason } from './ir-response';

/** IR stop reason as an OpenAI Chat `finish_reason` (translation.md §2.1). */
export function toOpenAiFinishReason(
  reason: IrStopReason,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (reason) {
    case 'stop':
    case 'stop_sequence':
    case 'pause':
      return 'stop';
    case 'length':
    case 'context_window':
      return 'length';
    case 'tool_calls':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
  }
}

/** IR stop reason as an Anthropic `stop_reason`. */
export function toAnthropicStopReason(reason: IrStopReason): string {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'context_window':
      return 'model_context_window_exceeded';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'pause':
      return 'pause_turn';
  }
}

export function fromAnthropicStopReason(reason: unknown): IrStopReason {
  switch (reason) {
    case 'max_tokens':
      return 'length';
    case 'model_context_window_exceeded':
      return 'context_window';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case 'pause_turn':
      return 'pause';
    default:
      return 'stop';
  }
}
