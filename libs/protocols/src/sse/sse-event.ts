/** One decoded server-sent event: its `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
}

const COLON = 0x3a;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Decodes one complete event (as returned by SseSplitter) into its fields. Comments (`:` lines)
 * and unknown fields are ignored; exactly one space after the colon is stripped. Returns null for
 * an event without data (a comment or keep-alive). Scans lines by hand: this runs once per
 * upstream event on the translation path, where a regex split and its arrays showed in profiles.
 */
export function parseSseEvent(raw: Buffer | string): SseEvent | null {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let event: string | undefined;
  let data: string | undefined;
  let start = 0;
  const length = text.length;
  while (start < length) {
    let end = start;
    let code = text.charCodeAt(end);
    while (end < length && code !== LF && code !== CR) code = text.charCodeAt(++end);
    if (end > start && text.charCodeAt(start) !== COLON) {
      const colon = text.indexOf(':', start);
      const hasColon = colon >= 0 && colon < end;
      const fieldEnd = hasColon ? colon : end;
      let valueStart = hasColon ? colon + 1 : end;
      if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
      if (fieldEnd - start === 4 && text.startsWith('data', start)) {
        const value = text.slice(valueStart, end);
        data = data === undefined ? value : `${data}\n${value}`;
      } else if (fieldEnd - start === 5 && text.startsWith('event', start)) {
        event = text.slice(valueStart, end);
      }
    }
    // CRLF counts as one line break; a lone CR or LF as one too.
    start = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
  }
  if (data === undefined) return null;
  return event === undefined ? { data } : { event, data };
}

/** Encodes one event in the LF framing every Switchyard client protocol uses. */
export function encodeSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
