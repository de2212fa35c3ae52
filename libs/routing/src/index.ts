export * from './deployment-planner';
export * from './deployment-health';
export * from './routing.module';
