export * from './brand';
export * from './money';
export * from './errors';
export * from './json';
export * from './repo-root';
