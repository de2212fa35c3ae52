export * from './boot';
export * from './schedulers/stored-responses-purge.scheduler';
