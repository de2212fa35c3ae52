import { isJsonObject } from '@switchyard/common';
import { ReasoningProvider } from '../ir/ir-request';
import { bool, str } from './read';

/**
 * Reasoning state from one provider carried through a client protocol made for another (e.g.
 * Anthropic thinking signatures inside a Responses `encrypted_content`, DeepSeek thinking inside
 * an Anthropic `signature`). The client echoes it back unchanged on the next turn; the decoder
 * unwraps it and the provider tag keeps it from ever reaching a different provider.
 */
export interface CarriedReasoning {
  provider: ReasoningProvider;
  text?: string;
  signature?: string;
  opaque?: string;
  redacted?: boolean;
  /** Provider item id (Responses `rs_…`). */
  id?: string;
}

const PREFIX = 'swy1.';
const PROVIDERS: readonly ReasoningProvider[] = ['anthropic', 'openai', 'gemini', 'openai-compatible'];

export function wrapReasoning(carried: CarriedReasoning): string {
  // Empty strings are left out: the decoders fall back to what the block itself carries.
  const payload = {
    p: carried.provider,
    t: carried.text || undefined,
    s: carried.signature || undefined,
    o: carried.opaque || undefined,
    r: carried.redacted || undefined,
    i: carried.id || undefined,
  };
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function isWrappedReasoning(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** The carried reasoning, or null when `value` is not one of ours (then it is the provider's own). */
export function unwrapReasoning(value: string): CarriedReasoning | null {
  if (!value.startsWith(PREFIX)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return null; // a corrupted echo is treated as foreign opaque data and never forwarded
  }
  if (!isJsonObject(payload)) return null;
  const provider = PROVIDERS.find((candidate) => candidate === payload.p);
  if (!provider) return null;
  return {
    provider,
    text: str(payload.t),
    signature: str(payload.s),
    opaque: str(payload.o),
    redacted: bool(payload.r),
    id: str(payload.i),
  };
}

const SIGNATURE_MARK = '__ts_';

/**
 * Gemini needs each functionCall's `thoughtSignature` back on the next turn, and OpenAI/Anthropic
 * clients have nowhere to keep it but the tool-call id they echo: so it rides inside the id.
 */
export function idWithSignature(id: string, signature: string): string {
  return id + SIGNATURE_MARK + Buffer.from(signature, 'utf8').toString('base64url');
}

export function signatureFromId(id: string): string | undefined {
  const at = id.indexOf(SIGNATURE_MARK);
  if (at < 0) return undefined;
  return Buffer.from(id.slice(at + SIGNATURE_MARK.length), 'base64url').toString('utf8');
}

/** The id without a carried Gemini signature: what any other upstream sees (OpenAI caps ids at 40 chars). */
export function stripSignature(id: string): string {
  const at = id.indexOf(SIGNATURE_MARK);
  return at < 0 ? id : id.slice(0, at);
}
