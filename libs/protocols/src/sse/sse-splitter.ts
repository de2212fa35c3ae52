const LF = 0x0a;
const CR = 0x0d;

const SEPARATORS = {
  lf: Buffer.from('\n\n'),
  crlf: Buffer.from('\r\n\r\n'),
  cr: Buffer.from('\r\r'),
} as const;

/**
 * Splits a server-sent-events byte stream into whole events, at byte level, without decoding.
 * Each returned slice holds one event *with* its terminating blank line, so writing the slices
 * back reproduces the input exactly. Bytes arrive at arbitrary boundaries (mid-line, mid-UTF-8
 * character); an event is only returned once its blank line has arrived. Since the separator is
 * ASCII, every returned event is complete UTF-8.
 *
 * The line-ending style (LF, CRLF or CR, all allowed by the SSE spec) is taken from the first
 * line terminator seen; servers do not mix them within one stream.
 */
export class SseSplitter {
  private pending: Buffer | null = null;
  private separator: Buffer | null = null;

  push(chunk: Buffer): Buffer[] {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    const separator = this.separator ?? this.detectSeparator(buffer);
    if (!separator) {
      this.pending = buffer;
      return [];
    }
    const events: Buffer[] = [];
    let start = 0;
    for (;;) {
      const at = buffer.indexOf(separator, start);
      if (at < 0) break;
      const end = at + separator.length;
      events.push(buffer.subarray(start, end));
      start = end;
    }
    if (start < buffer.length) this.pending = buffer.subarray(start);
    return events;
  }

  /** Whatever arrived after the last complete event (a stream cut short), or null. */
  rest(): Buffer | null {
    const rest = this.pending;
    this.pending = null;
    return rest && rest.length > 0 ? rest : null;
  }

  private detectSeparator(buffer: Buffer): Buffer | null {
    const lf = buffer.indexOf(LF);
    const cr = buffer.indexOf(CR);
    if (cr < 0 && lf < 0) return null;
    if (cr < 0 || (lf >= 0 && lf < cr)) this.separator = SEPARATORS.lf;
    else if (cr === buffer.length - 1)
      return null; // cannot tell CR from CRLF yet
    else this.separator = buffer[cr + 1] === LF ? SEPARATORS.crlf : SEPARATORS.cr;
    return this.separator;
  }
}
