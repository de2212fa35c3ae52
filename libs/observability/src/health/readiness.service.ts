import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@switchyard/database';
import { RedisConnections } from '@switchyard/redis';

export interface ReadinessReport {
  ready: boolean;
  checks: { postgres: boolean; redis: boolean; migrations: boolean };
}

const CHECK_TIMEOUT_MS = 1_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Ready means: every migration this build knows is applied, and Postgres and Redis answer now. */
@Injectable()
export class ReadinessService {
  private migrationsSeen = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redis: RedisConnections,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [postgres, redis, migrations] = await Promise.all([
      within(this.db.query('SELECT 1'), CHECK_TIMEOUT_MS).then(
        () => true,
        () => false,
      ),
      within(this.redis.commands.ping(), CHECK_TIMEOUT_MS).then(
        (pong) => pong === 'PONG',
        () => false,
      ),
      this.migrationsApplied(),
    ]);
    return { ready: postgres && redis && migrations, checks: { postgres, redis, migrations } };
  }

  private async migrationsApplied(): Promise<boolean> {
    if (this.migrationsSeen) return true;
    try {
      const names = new Set(
        (
          await within<{ name: string }[]>(
            this.db.query('SELECT name FROM schema_migrations'),
            CHECK_TIMEOUT_MS,
          )
        ).map((row) => row.name),
      );
      this.migrationsSeen = MIGRATIONS.every((migration) => names.has(migration.name));
    } catch {
      this.migrationsSeen = false; // no table yet: migrations have not run
    }
    return this.migrationsSeen;
  }
}
