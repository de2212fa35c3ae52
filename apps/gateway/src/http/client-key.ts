import { IncomingHttpHeaders } from 'node:http';

/** The API key from `Authorization: Bearer <key>` or `x-api-key` (Anthropic clients), or null. */
export function clientKey(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (
    authorization !== undefined &&
    authorization.length > 7 &&
    authorization.slice(0, 7).toLowerCase() === 'bearer '
  ) {
    const key = authorization.slice(7).trim();
    if (key.length > 0) return key;
  }
  const apiKey = headers['x-api-key'];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value !== undefined && value.length > 0 ? value.trim() : null;
}
