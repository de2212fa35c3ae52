import { isJsonObject, JsonObject, JsonValue } from '@switchyard/common';

/** Field names whose values never enter an audit row, a log line or an error. */
const SECRET_FIELD =
  /^(api_?key|key|secret|token|password|ciphertext|key_?hash|token_?hash|authorization|credentials?)$/i;

export const REDACTED = '[redacted]';

/** A deep copy of `value` with secret-named fields replaced, safe to store in `before`/`after`. */
export function redact(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redact);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [field, inner] of Object.entries(value)) {
    out[field] = SECRET_FIELD.test(field) ? REDACTED : redact(inner);
  }
  return out;
}
