export * from './payloads';
export * from './job-defaults';
export * from './outbox';
export * from './queue-connection';
export * from './usage-event.publisher';
export * from './queue.module';
