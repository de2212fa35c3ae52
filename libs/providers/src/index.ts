export * from './upstream-http';
export * from './upstream-target';
export * from './providers.module';
