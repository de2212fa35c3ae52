export * from './key-ring';
export * from './token-hash';
export * from './crypto.module';
