import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisConnections } from './redis-connections';

/** What changed. Subscribers drop or reload what they cache about it. */
export type Invalidation =
  | { kind: 'api_key'; keyHash: string }
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'catalog' }
  /** Published to ourselves after a reconnect: messages may have been missed, drop everything. */
  | { kind: 'all' };

type Listener = (message: Invalidation) => void;

/**
 * Cache invalidation across every process over Redis pub/sub. Publishing happens after the
 * database commit. A subscriber that lost its connection treats the gap as "everything
 * changed" once it is back, so a missed message cannot keep a revoked key alive.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(InvalidationBus.name);
  private readonly listeners: Listener[] = [];
  private subscriber: Redis | null = null;
  private readonly channel: string;

  constructor(private readonly redis: RedisConnections) {
    this.channel = redis.key('invalidate');
  }

  onModuleInit(): void {
    const subscriber = this.redis.dedicated('subscriber');
    this.subscriber = subscriber;
    let connectedBefore = false;
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel)
        .catch((error: Error) => this.log.warn({ err: error.message }, 'subscribe failed'));
      if (connectedBefore) this.dispatch({ kind: 'all' });
      connectedBefore = true;
    });
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      try {
        this.dispatch(JSON.parse(raw) as Invalidation);
      } catch (error) {
        this.log.warn({ err: (error as Error).message }, 'ignoring a malformed invalidation message');
      }
    });
  }

  /** Registers a listener for every invalidation, local or remote. */
  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  /**
   * Tells every process (this one included, synchronously) that something changed. Never throws:
   * if Redis is down, the other processes' cache TTL is the backstop, and we log it.
   */
  async publish(message: Invalidation): Promise<void> {
    this.dispatch(message);
    try {
      await this.redis.commands.publish(this.channel, JSON.stringify(message));
    } catch (error) {
      this.log.warn(
        { kind: message.kind, err: (error as Error).message },
        'invalidation not published; caches expire by TTL',
      );
    }
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private dispatch(message: Invalidation): void {
    for (const listener of this.listeners) listener(message);
  }
}
