import { isJsonObject, JsonObject, JsonValue } from '@switchyard/common';

/**
 * Narrowing readers for untrusted JSON. Decoders read every field through these so no `any` or
 * `as` is needed and a wrong type reads as "absent" instead of throwing.
 */

export const EMPTY_OBJECT: Readonly<JsonObject> = Object.freeze({});

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function obj(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function arr(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function isJsonValue(value: unknown): value is JsonValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    Array.isArray(value) ||
    isJsonObject(value)
  );
}

/** Parses JSON text, returning undefined instead of throwing on malformed input. */
export function parseJson(text: string): JsonValue | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonValue(value) ? value : undefined;
  } catch {
    return undefined; // callers turn "undefined" into their own protocol error
  }
}

/** Parses JSON text that must be an object; undefined for anything else. */
export function parseJsonObject(text: string): JsonObject | undefined {
  return obj(parseJson(text));
}

/** Copies an object without the listed keys (for carrying unknown fields along). */
export function omitKeys(source: JsonObject, keys: ReadonlySet<string>): JsonObject | undefined {
  let out: JsonObject | undefined;
  for (const key of Object.keys(source)) {
    if (keys.has(key)) continue;
    (out ??= {})[key] = source[key];
  }
  return out;
}
