import { Readable } from 'node:stream';

/** Reads an upstream body up to `limit` bytes (error pages, JSON answers); drops the rest. */
export async function readUpstreamBody(
  body: Readable,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), truncated: false };
}
