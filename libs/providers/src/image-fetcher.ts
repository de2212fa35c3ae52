import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '@switchyard/common';
import { UpstreamHttp } from './upstream-http';

/** Most images one request may ask the gateway to fetch. */
const MAX_IMAGES = 16;
/** Largest image fetched, and the most fetched for one request (Gemini caps inline data at 20 MB). */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const MAX_TOTAL_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export interface FetchedImage {
  mediaType: string;
  /** base64 */
  data: string;
}

/** Whether an address may be fetched on a tenant's behalf; injectable for tests of the fetcher itself. */
export type AddressPolicy = (address: string) => boolean;

/**
 * Fetches image URLs for upstreams that cannot read web URLs themselves (Gemini), so they can be
 * inlined as base64. Bounded in count, size and time; only http(s), only image content, and only
 * public addresses: a tenant must not make the gateway read its own network (SSRF).
 */
@Injectable()
export class ImageFetcher {
  private policy: AddressPolicy = isPublicAddress;

  constructor(private readonly http: UpstreamHttp) {}

  /** Replaces the address policy (tests of the fetcher point it at a local server). */
  allowAddresses(policy: AddressPolicy): void {
    this.policy = policy;
  }

  /** Fetches every URL; throws DomainError('image.fetch_failed') naming the first that fails. */
  async fetchAll(urls: readonly string[], signal: AbortSignal): Promise<Map<string, FetchedImage>> {
    if (urls.length > MAX_IMAGES)
      throw failed(`at most ${MAX_IMAGES} image URLs can be fetched for this upstream, got ${urls.length}`);
    const fetched = new Map<string, FetchedImage>();
    let total = 0;
    for (const url of urls) {
      const image = await this.fetchOne(url, signal);
      total += image.bytes.length;
      if (total > MAX_TOTAL_BYTES) throw failed(`the images of this request exceed ${MAX_TOTAL_BYTES} bytes`);
      fetched.set(url, { mediaType: image.mediaType, data: image.bytes.toString('base64') });
    }
    return fetched;
  }

  private async fetchOne(url: string, signal: AbortSignal): Promise<{ mediaType: string; bytes: Buffer }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw failed(`image URL is not a valid URL: ${shorten(url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw failed(`image URL must be http(s): ${shorten(url)}`);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [host]
      : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
    if (addresses.length === 0) throw failed(`image URL host cannot be resolved: ${shorten(url)}`);
    if (!addresses.every((address) => this.policy(address)))
      throw failed(`image URL points to a private address: ${shorten(url)}`);

    const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
    const response = await this.http
      .send({
        url: parsed.toString(),
        method: 'GET',
        headers: { accept: 'image/*' },
        signal: AbortSignal.any([signal, timeout]),
      })
      .catch((error: unknown) => {
        throw failed(`image URL could not be fetched: ${shorten(url)}`, error);
      });
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (response.statusCode !== 200 || !type.startsWith('image/')) {
      response.body.resume();
      throw failed(
        `image URL did not return an image (HTTP ${response.statusCode}, ${type || 'no content type'}): ${shorten(url)}`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        size += buffer.length;
        if (size > MAX_IMAGE_BYTES) {
          response.body.destroy();
          throw failed(`image at ${shorten(url)} is larger than ${MAX_IMAGE_BYTES} bytes`);
        }
        chunks.push(buffer);
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw failed(`image URL could not be read: ${shorten(url)}`, error);
    }
    return { mediaType: type, bytes: Buffer.concat(chunks, size) };
  }
}

const failed = (message: string, cause?: unknown): DomainError =>
  new DomainError('image.fetch_failed', message, undefined, { cause });

const shorten = (url: string): string => (url.length > 120 ? `${url.slice(0, 117)}...` : url);

/** Loopback, private, link-local, CGNAT, unspecified and ULA addresses are refused. */
export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number);
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:')) return isPublicAddress(lower.slice('::ffff:'.length));
  return !(
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('fc') ||
    lower.startsWith('fd') ||
    lower.startsWith('fe80')
  );
}
