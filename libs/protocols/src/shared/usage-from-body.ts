import { findTopLevelValue } from './json-splice';

/**
 * The raw text of a top-level field of a JSON body, parsed alone: pass-through non-stream bodies
 * are read for usage without parsing the (possibly large) rest of the answer. Returns undefined
 * when the field is absent or the body is not well-formed JSON.
 */
export function topLevelField(bodyText: string, key: string): unknown {
  try {
    const span = findTopLevelValue(bodyText, key);
    return span ? JSON.parse(bodyText.slice(span.start, span.end)) : undefined;
  } catch {
    return undefined; // malformed body: the caller estimates usage instead
  }
}
