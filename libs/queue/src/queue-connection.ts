import { AppConfig } from '@switchyard/config';
import { redisOptionsFromUrl } from '@switchyard/redis';
import { ConnectionOptions } from 'bullmq';

/** BullMQ key prefix: every queue lives under REDIS_KEY_PREFIX (`sy:usage:*` by default). */
export const queuePrefix = (config: AppConfig): string => config.redis.keyPrefix;

/** Connection options for a BullMQ producer (BullMQ owns and closes the connection): fails fast when Redis is down (the caller has an outbox). */
export function producerConnection(config: AppConfig): ConnectionOptions {
  return redisOptionsFromUrl(config.redis.url, {
    connectionName: 'switchyard:producer',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
}

/** Connection options for a BullMQ worker: blocking commands, retried forever, as BullMQ requires. */
export function workerConnection(config: AppConfig): ConnectionOptions {
  return redisOptionsFromUrl(config.redis.url, {
    connectionName: 'switchyard:worker',
    maxRetriesPerRequest: null,
  });
}
