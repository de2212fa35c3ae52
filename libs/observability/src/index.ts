export * from './logger';
export * from './request-id';
export * from './metrics';
