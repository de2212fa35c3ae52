import { Global, Logger, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { once } from 'node:events';
import { AppConfig } from '@switchyard/config';
import { InvalidationBus } from './invalidation-bus';
import { REDIS_COMMANDS, RedisConnections, redisOptions } from './redis-connections';

@Global()
@Module({
  providers: [
    {
      provide: REDIS_COMMANDS,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<Redis> => {
        const log = new Logger('Redis');
        const client = new Redis(
          config.redis.url,
          redisOptions({
            connectionName: 'switchyard:commands',
            enableAutoPipelining: true,
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
          }),
        );
        let down = false;
        client.on('error', (error: Error) => {
          if (!down) log.warn({ err: error.message }, 'redis unreachable; retrying');
          down = true;
        });
        client.on('ready', () => {
          if (down) log.log('redis connection restored');
          down = false;
        });
        // Start-up preflight already saw Redis answer; give the socket a moment to be ready so the
        // first requests do not fail fast. If it is not, readiness reports it and we carry on.
        await Promise.race([
          once(client, 'ready'),
          new Promise((resolve) => setTimeout(resolve, 3_000).unref()),
        ]);
        return client;
      },
    },
    RedisConnections,
    InvalidationBus,
  ],
  exports: [RedisConnections, InvalidationBus],
})
export class RedisModule {}
