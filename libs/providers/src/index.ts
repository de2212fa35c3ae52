export * from './upstream-http';
export * from './upstream-target';
export * from './image-fetcher';
export * from './providers.module';
