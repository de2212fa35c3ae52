import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { fixtureBytes } from './fixtures';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** How the fake answers one request. */
export type Reply =
  | { kind: 'json'; status?: number; body: Buffer | string | object; headers?: Record<string, string> }
  | {
      kind: 'sse';
      body: Buffer;
      chunkSizes?: number[];
      delayMs?: number;
      breakAfterBytes?: number;
      status?: number;
    }
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'hang' }
  | { kind: 'destroy' };

export const reply = {
  fixture(name: string, status = 200, headers: Record<string, string> = {}): Reply {
    return { kind: 'json', status, body: fixtureBytes(name), headers };
  },
  json(body: object, status = 200, headers: Record<string, string> = {}): Reply {
    return { kind: 'json', status, body, headers };
  },
  /** Streams a `*.sse` fixture; `chunkSizes` cuts it into network writes of those sizes (cycled). */
  sse(
    name: string,
    options: { chunkSizes?: number[]; delayMs?: number; breakAfterBytes?: number } = {},
  ): Reply {
    return { kind: 'sse', body: fixtureBytes(name), ...options };
  },
  raw(status: number, contentType: string, body: string): Reply {
    return { kind: 'raw', status, contentType, body };
  },
  hang(): Reply {
    return { kind: 'hang' };
  },
  destroy(): Reply {
    return { kind: 'destroy' };
  },
};

/** The credential of a request, whichever header its provider kind uses. */
export function presentedKey(req: { headers: IncomingMessage['headers'] }): string {
  const { authorization } = req.headers;
  const header = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  if (typeof authorization === 'string') return authorization.replace(/^Bearer /i, '');
  return typeof header === 'string' ? header : '';
}

/**
 * A local HTTP server standing in for an upstream provider: replays recorded payloads exactly,
 * records what the gateway sent. Replies are consumed in order; the last one repeats.
 */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  private replies: Reply[] = [];
  /** Credentials this fake refuses with 401, as a provider refuses a revoked key. */
  readonly refusedKeys = new Set<string>();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeUpstream> {
    const fake = new FakeUpstream();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Base URL as an openai-kind provider sees it. */
  get v1(): string {
    return `${this.url}/v1`;
  }

  serve(...replies: Reply[]): this {
    this.replies = replies;
    return this;
  }

  last(): RecordedRequest {
    const request = this.requests[this.requests.length - 1];
    if (!request) throw new Error('the fake upstream received no request');
    return request;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    if (this.refusedKeys.has(presentedKey(req))) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
      return;
    }
    const next = this.replies.length > 1 ? this.replies.shift() : this.replies[0];
    if (!next) {
      res.writeHead(500).end('no reply scripted');
      return;
    }
    switch (next.kind) {
      case 'json': {
        const body =
          Buffer.isBuffer(next.body) || typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
        res.writeHead(next.status ?? 200, { 'content-type': 'application/json', ...next.headers });
        res.end(body);
        return;
      }
      case 'raw':
        res.writeHead(next.status, { 'content-type': next.contentType });
        res.end(next.body);
        return;
      case 'hang':
        return; // never answers; the socket is destroyed on stop()
      case 'destroy':
        req.socket.destroy();
        return;
      case 'sse':
        await this.stream(res, next);
        return;
    }
  }

  private async stream(res: ServerResponse, next: Extract<Reply, { kind: 'sse' }>): Promise<void> {
    res.writeHead(next.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const sizes = next.chunkSizes ?? [next.body.length];
    let offset = 0;
    for (let i = 0; offset < next.body.length; i++) {
      const end = Math.min(next.body.length, offset + sizes[i % sizes.length]);
      if (next.breakAfterBytes !== undefined && end > next.breakAfterBytes) {
        res.write(next.body.subarray(offset, next.breakAfterBytes));
        await new Promise((resolve) => setTimeout(resolve, 20));
        res.socket?.destroy();
        return;
      }
      res.write(next.body.subarray(offset, end));
      offset = end;
      if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    }
    res.end();
  }
}
