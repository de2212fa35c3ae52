export * from './preflight';
export * from './prepare-database';
export * from './process';
