import { NormalizedUsage } from '../shared/usage';
import { IrReasoningPart, IrTextPart, IrToolCallPart } from './ir-request';

/**
 * Why generation stopped, in neutral terms:
 * - `stop`: natural end; `stop_sequence`: a stop sequence matched (see `stopSequence`)
 * - `length`: output limit; `context_window`: the model ran out of context
 * - `tool_calls`: stopped to call tools; `content_filter`: refused or filtered
 * - `pause`: Anthropic `pause_turn` (a server-tool loop paused)
 */
export type IrStopReason =
  'stop' | 'stop_sequence' | 'length' | 'context_window' | 'tool_calls' | 'content_filter' | 'pause';

export type IrOutputPart = IrTextPart | IrToolCallPart | IrReasoningPart;

export interface IrResponse {
  id: string;
  model: string;
  /** Unix seconds, when the upstream says. */
  created?: number;
  content: IrOutputPart[];
  stopReason: IrStopReason;
  stopSequence?: string;
  /** null when the upstream reported none (the caller estimates). */
  usage: NormalizedUsage | null;
}
