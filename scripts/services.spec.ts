import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';

// scripts/services.mjs is what .ci/run and the quick start use to decide whether to start a
// service. It is exercised through its CLI, as .ci/run calls it, against fake servers that answer
// like a Redis in each state, so every branch is reached without touching the real services.

interface CliResult {
  code: number;
  stdout: string;
}

function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(__dirname, 'services.mjs'), ...args],
      { timeout: 15_000 },
      (error, stdout) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
      },
    );
  });
}

/** A TCP server that answers the first bytes it receives with `reply`, and records what it got. */
async function fakeServer(
  reply: (received: string) => string | null,
): Promise<{ port: number; received: () => string; close: () => Promise<void> }> {
  let received = '';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const answer = reply(received);
      if (answer !== null) socket.write(answer);
    });
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    received: () => received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('services.mjs probe', () => {
  it('reports a Redis that answers PONG as ready and exits 0', async () => {
    const redis = await fakeServer(() => '+PONG\r\n');

    const result = await cli('probe', 'redis', `redis://127.0.0.1:${redis.port}`);
    await redis.close();

    expect(result).toEqual({ code: 0, stdout: `redis at 127.0.0.1:${redis.port}: ready (PONG)\n` });
  });

  it('authenticates with the password of the URL before PING', async () => {
    const redis = await fakeServer((got) => (got.includes('PING') ? '+OK\r\n+PONG\r\n' : null));

    const result = await cli('probe', 'redis', `redis://:s3cret@127.0.0.1:${redis.port}/2`);
    await redis.close();

    expect(result.code).toBe(0);
    expect(redis.received()).toBe('*2\r\n$4\r\nAUTH\r\n$6\r\ns3cret\r\n*1\r\n$4\r\nPING\r\n');
  });

  it('reports a Redis that wants a password as refused, not down (nothing else should be started)', async () => {
    const redis = await fakeServer(() => '-NOAUTH Authentication required.\r\n');

    const result = await cli('probe', 'redis', `redis://127.0.0.1:${redis.port}`);
    await redis.close();

    expect(result).toEqual({
      code: 1,
      stdout: `redis at 127.0.0.1:${redis.port}: refused (NOAUTH Authentication required.)\n`,
    });
  });

  it('reports a Redis still loading its data as starting', async () => {
    const redis = await fakeServer(() => '-LOADING Redis is loading the dataset in memory\r\n');

    const result = await cli('probe', 'redis', `redis://127.0.0.1:${redis.port}`);
    await redis.close();

    expect(result.stdout).toBe(
      `redis at 127.0.0.1:${redis.port}: starting (LOADING Redis is loading the dataset in memory)\n`,
    );
  });

  it('reports another protocol on the port as down', async () => {
    const http = await fakeServer(() => 'HTTP/1.1 400 Bad Request\r\n\r\n');

    const result = await cli('probe', 'redis', `redis://127.0.0.1:${http.port}`);
    await http.close();

    expect(result).toEqual({
      code: 1,
      stdout: `redis at 127.0.0.1:${http.port}: down (not a Redis server)\n`,
    });
  });

  it('reports closed ports as down for Redis and Postgres', async () => {
    const port = await closedPort();

    const redis = await cli('probe', 'redis', `redis://127.0.0.1:${port}`);
    const postgres = await cli('probe', 'postgres', `postgres://root@127.0.0.1:${port}/switchyard`);

    expect(redis).toEqual({ code: 1, stdout: `redis at 127.0.0.1:${port}: down (ECONNREFUSED)\n` });
    expect(postgres).toEqual({ code: 1, stdout: `postgres at 127.0.0.1:${port}: down (ECONNREFUSED)\n` });
  });

  it('waits until a server comes up, within the timeout', async () => {
    const port = await closedPort();
    const pending = cli('wait', 'redis', `redis://127.0.0.1:${port}`, '--timeout', '10');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const late = createServer((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
    late.listen(port, '127.0.0.1');
    await once(late, 'listening');

    const result = await pending;
    late.close();

    expect(result).toEqual({ code: 0, stdout: `redis at 127.0.0.1:${port}: ready (PONG)\n` });
  });

  it('gives up after the timeout with exit 1', async () => {
    const port = await closedPort();
    const started = Date.now();

    const result = await cli('wait', 'redis', `redis://127.0.0.1:${port}`, '--timeout', '1');

    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('rejects an unknown command with usage and exit 2', async () => {
    expect((await cli('start', 'redis')).code).toBe(2);
  });
});
