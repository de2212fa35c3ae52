export * from './redis.module';
export * from './redis-connections';
export * from './invalidation-bus';
