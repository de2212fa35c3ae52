import { Socket } from 'node:net';
import { Client } from 'pg';
import { AppConfig } from '@switchyard/config';

/** A dependency is down: one line saying which and how to get it, never a stack trace. */
export class DependencyUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyUnavailable';
  }
}

/** host:port/db of a URL, without credentials, for messages. */
export function describeUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.hostname}:${url.port || (url.protocol.startsWith('redis') ? '6379' : '5432')}${url.pathname === '/' ? '' : url.pathname}`;
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? String(error);
}

async function checkPostgres(url: string): Promise<void> {
  // Connect to the server's `postgres` database: ours may not exist yet (it is created next).
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DependencyUnavailable(
      `Postgres is not reachable at ${describeUrl(url)} (DATABASE_URL): ${reason(error)}. ` +
        'Start one (`docker compose up -d postgres`, or `npm run quickstart`, which runs an embedded one) or point DATABASE_URL at yours.',
    );
  } finally {
    await client.end().catch(() => undefined); // the connection may never have opened
  }
}

function checkRedis(url: string): Promise<void> {
  const target = new URL(url);
  const host = target.hostname;
  const port = Number(target.port || 6379);
  const fail = (why: string): DependencyUnavailable =>
    new DependencyUnavailable(
      `Redis is not reachable at ${describeUrl(url)} (REDIS_URL): ${why}. ` +
        'Start one (`docker compose up -d redis` or `apt-get install redis-server`) or point REDIS_URL at yours.',
    );
  if (target.protocol === 'rediss:') return Promise.resolve(); // TLS: leave the handshake to ioredis
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(fail('timed out'));
    }, 3_000);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(fail(reason(error)));
    });
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      // -NOAUTH also proves a Redis answers; ioredis authenticates with the URL's password.
      const reply = data.toString();
      if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) resolve();
      else reject(fail(`unexpected reply ${JSON.stringify(reply.slice(0, 20))}`));
    });
  });
}

/** Checks Postgres and Redis before Nest starts, so a missing one is one clear line. */
export async function preflight(
  config: AppConfig,
  needs: { postgres: boolean; redis: boolean },
): Promise<void> {
  await Promise.all([
    needs.postgres ? checkPostgres(config.database.url) : Promise.resolve(),
    needs.redis ? checkRedis(config.redis.url) : Promise.resolve(),
  ]);
}
