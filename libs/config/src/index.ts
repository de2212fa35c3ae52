export * from './app-config';
export * from './config.module';
export { SwitchyardEnv } from './env.schema';
export * from './declarative-file';
