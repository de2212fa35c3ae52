import { isJsonObject, JsonValue } from '@switchyard/common';

/**
 * JSON with object keys sorted at every depth, so a value hashes the same before it is stored
 * and after Postgres hands it back (jsonb reorders keys).
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
