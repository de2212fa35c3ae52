import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseSplitter } from './sse-splitter';
import { parseSseEvent } from './sse-event';

const fixture = (name: string): Buffer =>
  readFileSync(join(__dirname, '../../../../test/fixtures/protocols', name));

function splitAll(bytes: Buffer, cuts: number[]): Buffer[] {
  const splitter = new SseSplitter();
  const events: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...splitter.push(bytes.subarray(start, cut)));
    start = cut;
  }
  const rest = splitter.rest();
  if (rest) events.push(rest);
  return events;
}

describe('SseSplitter', () => {
  it.each(['openai-chat-stream-tools.sse', 'gemini-stream-text.sse', 'anthropic-messages-stream-text.sse'])(
    'reproduces %s byte for byte however it is cut',
    (name) => {
      const bytes = fixture(name);
      const whole = splitAll(bytes, []);
      for (let cut = 1; cut < bytes.length; cut += 7) {
        const pieces = splitAll(bytes, [cut, Math.min(bytes.length, cut + 3)]);
        expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
        expect(pieces.map((p) => p.toString('utf8'))).toEqual(whole.map((p) => p.toString('utf8')));
      }
    },
  );

  it('splits Gemini CRLF framing into one event per payload', () => {
    const events = splitAll(fixture('gemini-stream-text.sse'), []);
    const payloads = readFileSync(
      join(__dirname, '../../../../test/fixtures/protocols/gemini-stream-text.chunks.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n');
    expect(events.map((e) => JSON.parse(parseSseEvent(e)!.data))).toEqual(payloads.map((p) => JSON.parse(p)));
  });

  it('keeps a multi-byte character split across reads intact', () => {
    const bytes = Buffer.from('data: {"t":"héllo → 世界"}\n\n');
    const at = bytes.indexOf(Buffer.from('世')) + 1; // inside the 3-byte sequence
    const events = splitAll(bytes, [at]);
    expect(events).toHaveLength(1);
    expect(JSON.parse(parseSseEvent(events[0])!.data)).toEqual({ t: 'héllo → 世界' });
  });

  it('waits to tell CR from CRLF when a read ends on CR', () => {
    const splitter = new SseSplitter();
    expect(splitter.push(Buffer.from('data: 1\r'))).toEqual([]);
    const events = splitter.push(Buffer.from('\n\r\ndata: 2\r\n\r\n'));
    expect(events.map((e) => parseSseEvent(e)!.data)).toEqual(['1', '2']);
  });
});

describe('parseSseEvent', () => {
  it('reads event names, joins data lines, skips comments', () => {
    expect(parseSseEvent('event: ping\ndata: {"type": "ping"}\n\n')).toEqual({
      event: 'ping',
      data: '{"type": "ping"}',
    });
    expect(parseSseEvent(': keep-alive\n\n')).toBeNull();
    expect(parseSseEvent('data:a\ndata:  b\nid: 3\n\n')).toEqual({ data: 'a\n b' });
  });
});

describe('parseSseEvent edge cases', () => {
  it('handles CRLF and CR line breaks, fields without a value, and a colon inside the value', () => {
    expect(parseSseEvent('event: a\r\ndata: {"x":"y: z"}\r\n\r\n')).toEqual({
      event: 'a',
      data: '{"x":"y: z"}',
    });
    expect(parseSseEvent('data\rdata:x\r\r')).toEqual({ data: '\nx' });
    expect(parseSseEvent('datax: 1\nevents: 2\n\n')).toBeNull();
    expect(parseSseEvent('data: [DONE]')).toEqual({ data: '[DONE]' });
  });
});
