import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, TEST_REDIS_URL, withAdminClient } from '../support/services';
import { SwitchyardProcess } from '../support/process';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The processes as users run them: `npm start` (all-in-one) and each app alone, started from
 * the built dist/ by scripts/start.mjs, configured only through the environment.
 */
describe('switchyard processes', () => {
  const database = `sy_e2e_${randomBytes(5).toString('hex')}`;
  const started: SwitchyardProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    env = {
      DATABASE_URL: databaseUrl(database), // does not exist yet: the app must create it
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `e2e${randomBytes(4).toString('hex')}`,
      GATEWAY_PORT: String(await freePort()),
      ADMIN_PORT: String(await freePort()),
      WORKER_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SECRETS_KEY: 'e2e-secrets-key-0123456789abcdef0123456',
      OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'sy-e2e-outbox-')),
    };
  });

  afterAll(async () => {
    for (const process of started) await process.kill();
    await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  const start = (app: string, extra: Record<string, string> = {}): SwitchyardProcess => {
    const process = SwitchyardProcess.start(app, { ...env, ...extra });
    started.push(process);
    return process;
  };

  it('npm start creates the database, migrates, prints a generated admin token once, and stops on SIGTERM', async () => {
    const first = start('all-in-one');
    await first.ready(`http://127.0.0.1:${env.ADMIN_PORT}/health/ready`);
    await first.ready(`http://127.0.0.1:${env.GATEWAY_PORT}/health/ready`);
    const token = /\n {2}(sy-admin-[A-Za-z0-9]{40})\n/.exec(first.stdout)?.[1];
    expect(token).toBeDefined();

    const tenants = await fetch(`http://127.0.0.1:${env.ADMIN_PORT}/admin/v1/tenants`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(tenants.status).toBe(200);

    first.signal('SIGTERM');
    expect(await first.exit()).toBe(0);

    const second = start('all-in-one');
    await second.ready(`http://127.0.0.1:${env.ADMIN_PORT}/health/ready`);
    await second.ready(`http://127.0.0.1:${env.GATEWAY_PORT}/health/ready`);
    expect(second.stdout).not.toContain('sy-admin-');
    const again = await fetch(`http://127.0.0.1:${env.ADMIN_PORT}/admin/v1/tenants`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(200);
    second.signal('SIGTERM');
    expect(await second.exit()).toBe(0);
  }, 90_000);

  it('runs the gateway and the worker each on their own', async () => {
    const gateway = start('gateway');
    const worker = start('billing-worker');
    await gateway.ready(`http://127.0.0.1:${env.GATEWAY_PORT}/health/live`);
    const models = await fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/v1/models`);
    expect(models.status).toBe(401);
    await worker.ready(`http://127.0.0.1:${env.WORKER_PORT}/health/ready`);
    gateway.signal('SIGTERM');
    worker.signal('SIGTERM');
    expect(await gateway.exit()).toBe(0);
    expect(await worker.exit()).toBe(0);
  }, 60_000);

  it('says in one line which dependency is down and how to start it', async () => {
    const closed = await freePort();
    const noPostgres = start('gateway', {
      DATABASE_URL: `postgres://root:s3cret-pw@127.0.0.1:${closed}/switchyard`,
    });
    expect(await noPostgres.exit()).toBe(1);
    expect(noPostgres.stderr.trim().split('\n')).toHaveLength(1);
    expect(noPostgres.stderr).toContain(
      `Postgres is not reachable at 127.0.0.1:${closed}/switchyard (DATABASE_URL)`,
    );
    expect(noPostgres.stderr).toContain('docker compose up -d postgres');
    expect(noPostgres.stderr).not.toContain('s3cret-pw');

    const noRedis = start('gateway', { REDIS_URL: `redis://127.0.0.1:${closed}` });
    expect(await noRedis.exit()).toBe(1);
    expect(noRedis.stderr.trim().split('\n')).toHaveLength(1);
    expect(noRedis.stderr).toContain('Redis is not reachable');
    expect(noRedis.stderr).toContain('apt-get install redis-server');
  }, 60_000);

  it('refuses a bad configuration naming the variable, not its value', async () => {
    const bad = start('admin', { GATEWAY_PORT: 'eighty', SECRETS_KEY: 'too-short-secret' });
    expect(await bad.exit()).toBe(1);
    expect(bad.stderr).toContain('GATEWAY_PORT');
    expect(bad.stderr).toContain('SECRETS_KEY');
    expect(bad.stderr).not.toContain('too-short-secret');
  });
});
