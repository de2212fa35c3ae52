export * from './api-key.service';
export * from './key-authenticator';
export * from './model-pattern';
export * from './keys.module';
