export * from './logger';
export * from './request-id';
export * from './health/health.module';
export * from './health/readiness.service';
export { PUBLIC_ROUTE } from './health/health.controller';
