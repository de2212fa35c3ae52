import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', 'fixtures', 'protocols');

/** A recorded payload from ../shared/protocols/fixtures, byte for byte. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(DIR, name));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** The JSON payloads of an OpenAI-style `*.sse` fixture, in order (without [DONE]). */
export function sseDataPayloads(name: string): unknown[] {
  return fixtureBytes(name)
    .toString('utf8')
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .find((line) => line.startsWith('data:'))
        ?.slice(5)
        .trim(),
    )
    .filter((data): data is string => data !== undefined && data !== '[DONE]')
    .map((data) => JSON.parse(data) as unknown);
}
