import { AppConfig } from '@switchyard/config';
import { redisOptions } from '@switchyard/redis';
import { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';

/** BullMQ key prefix: every queue lives under REDIS_KEY_PREFIX (`sy:usage:*` by default). */
export const queuePrefix = (config: AppConfig): string => config.redis.keyPrefix;

/** A connection for a BullMQ producer: fails fast when Redis is down (the caller has an outbox). */
export function producerConnection(config: AppConfig): ConnectionOptions {
  return new Redis(config.redis.url, redisOptions({ connectionName: 'switchyard:producer', enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
}

/** A connection for a BullMQ worker: blocking commands, retried forever, as BullMQ requires. */
export function workerConnection(config: AppConfig): ConnectionOptions {
  return new Redis(config.redis.url, redisOptions({ connectionName: 'switchyard:worker', maxRetriesPerRequest: null }));
}
