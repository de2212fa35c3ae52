import { IrStopReason } from '../ir/ir-response';
import { CompatFinish, CompatProfile } from '../openai-compatible/compat-profiles';

/** A Chat `finish_reason` (OpenAI's or a compatible server's) in IR terms; unknown → `stop`. */
export function fromOpenAiFinishReason(reason: string, profile: CompatProfile): CompatFinish {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return profile.finishReasons[reason] ?? 'stop';
  }
}

/**
 * A `retryable` finish (DeepSeek insufficient_system_resource) after content was delivered is a
 * truncation, reported as `length` (decision, translation.md §2.1).
 */
export function settleFinish(finish: CompatFinish): IrStopReason {
  return finish === 'retryable' ? 'length' : finish;
}
