import { JsonObject } from '@switchyard/common';
import { mintId } from '../shared/ids';
import { idWithSignature } from '../shared/opaque';
import { str } from '../shared/read';

/**
 * The tool-call id a client gets for a Gemini functionCall: Gemini's own id when it sends one,
 * else a minted one; the call's thoughtSignature rides inside so it comes back next turn.
 */
export function geminiCallId(call: JsonObject, part: JsonObject): string {
  const id = str(call.id) || mintId('call_');
  const signature = str(part.thoughtSignature);
  return signature ? idWithSignature(id, signature) : id;
}
