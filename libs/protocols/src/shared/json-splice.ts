/**
 * Edits top-level fields of a JSON object *text* without re-serialising it, so a pass-through
 * body keeps every byte the client sent (number spelling, big integers, escapes, key order)
 * except the fields the gateway must own. Callers have already validated the text with
 * JSON.parse; these functions assume well-formed JSON.
 */

/** The span [start, end) of the value of top-level `key`, or null if the key is absent. */
export function findTopLevelValue(json: string, key: string): { start: number; end: number } | null {
  let i = skipSpace(json, 0);
  if (json[i] !== '{') return null;
  i++;
  for (;;) {
    i = skipSpace(json, i);
    if (json[i] === '}' || i >= json.length) return null;
    if (json[i] === ',') {
      i = skipSpace(json, i + 1);
    }
    const keyStart = i;
    const keyEnd = endOfString(json, keyStart);
    const name = JSON.parse(json.slice(keyStart, keyEnd)) as string;
    i = skipSpace(json, keyEnd);
    i = skipSpace(json, i + 1); // the colon
    const valueEnd = endOfValue(json, i);
    if (name === key) return { start: i, end: valueEnd };
    i = valueEnd;
  }
}

/** Returns `json` with top-level `key` set to `valueJson` (replaced in place, or appended). */
export function setTopLevelField(json: string, key: string, valueJson: string): string {
  const span = findTopLevelValue(json, key);
  if (span) return json.slice(0, span.start) + valueJson + json.slice(span.end);
  const close = json.lastIndexOf('}');
  const head = json.slice(0, close).trimEnd();
  const empty = head.endsWith('{');
  return `${head}${empty ? '' : ','}${JSON.stringify(key)}:${valueJson}${json.slice(close)}`;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipSpace(json: string, from: number): number {
  let i = from;
  while (i < json.length && WHITESPACE.has(json[i])) i++;
  return i;
}

/** Index just past the string starting at `from` (which is a quote). */
function endOfString(json: string, from: number): number {
  let i = from + 1;
  for (;;) {
    const quote = json.indexOf('"', i);
    if (quote < 0) return json.length;
    let backslashes = 0;
    for (let j = quote - 1; json[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

const STRUCTURAL = /["{}[\],]/g;

/** Index just past the value starting at `from`. Jumps between structural characters. */
function endOfValue(json: string, from: number): number {
  const first = json[from];
  if (first === '"') return endOfString(json, from);
  if (first !== '{' && first !== '[') {
    STRUCTURAL.lastIndex = from;
    const match = STRUCTURAL.exec(json);
    let end = match ? match.index : json.length;
    while (end > from && WHITESPACE.has(json[end - 1])) end--;
    return end;
  }
  let depth = 0;
  STRUCTURAL.lastIndex = from;
  for (;;) {
    const match = STRUCTURAL.exec(json);
    if (!match) return json.length;
    const char = match[0];
    if (char === '"') {
      STRUCTURAL.lastIndex = endOfString(json, match.index);
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return match.index + 1;
    }
  }
}
