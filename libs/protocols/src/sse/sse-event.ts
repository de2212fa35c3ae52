/** One decoded server-sent event: its `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Decodes one complete event (as returned by SseSplitter) into its fields. Comments (`:` lines)
 * and unknown fields are ignored; exactly one space after the colon is stripped. Returns null for
 * an event without data (a comment or keep-alive).
 */
export function parseSseEvent(raw: Buffer | string): SseEvent | null {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let event: string | undefined;
  let data: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.length === 0 || line.charCodeAt(0) === 0x3a /* : */) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
  }
  if (data === undefined) return null;
  return event === undefined ? { data } : { event, data };
}

/** Encodes one event in the LF framing every Switchyard client protocol uses. */
export function encodeSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
