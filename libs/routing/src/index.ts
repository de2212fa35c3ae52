export * from './deployment-planner';
