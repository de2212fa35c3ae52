export * from './shared/usage';
export * from './shared/json-splice';
export * from './sse/sse-splitter';
export * from './sse/sse-event';
export * from './openai-chat/usage';
export * from './openai-chat/errors';
export * from './openai-chat/stream-tap';
