import { IrReasoningPart, IrRequest } from '../ir/ir-request';
import { wrapReasoning } from '../shared/opaque';

/** Whether an Anthropic client asked for thinking blocks (only then are they sent to it). */
export function clientWantsThinking(request: IrRequest | undefined): boolean {
  const mode = request?.reasoning?.mode;
  return mode === 'enabled' || mode === 'adaptive';
}

export function thinkingOmitted(request: IrRequest | undefined): boolean {
  return request?.reasoning?.display === 'omitted';
}

/**
 * The signature an Anthropic client gets for a thinking block: Anthropic's own, or our wrapper
 * around reasoning another provider produced, so it comes back tagged and never reaches Anthropic.
 */
export function signatureFor(
  part: Pick<IrReasoningPart, 'provider' | 'text' | 'signature' | 'opaque' | 'id'>,
): string {
  if (part.provider === 'anthropic') return part.signature ?? '';
  return wrapReasoning({ provider: part.provider, text: part.text, opaque: part.opaque, id: part.id });
}
