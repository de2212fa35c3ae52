import { randomBytes } from 'node:crypto';

/**
 * Mints an id with a protocol's conventional prefix (`chatcmpl-`, `msg_`, `resp_`, `call_`,
 * `toolu_`). base64url keeps ids inside Anthropic's `^[a-zA-Z0-9_-]+$` tool-id pattern.
 */
export function mintId(prefix: string, bytes = 12): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

const UNSAFE_ID_CHAR = /[^a-zA-Z0-9_-]/g;

/**
 * Makes a foreign tool-call id acceptable to Anthropic deterministically, so a tool_use id and
 * the tool_result that answers it (sanitised separately) still match.
 */
export function sanitizeToolId(id: string): string {
  const clean = id.replace(UNSAFE_ID_CHAR, '_');
  return clean.length > 0 ? clean : 'call_empty';
}
