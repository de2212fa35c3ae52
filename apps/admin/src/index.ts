export * from './boot';
export * from './announce';
