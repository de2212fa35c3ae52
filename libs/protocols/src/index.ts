// IR
export * from './ir/ir-request';
export * from './ir/ir-response';
export * from './ir/ir-stream';
export * from './ir/ir-error';
export * from './ir/client-context';
export * from './ir/stop-reasons';
export * from './ir/sequential-blocks';

// shared
export * from './shared/usage';
export * from './shared/json-splice';
export * from './shared/errors';
export * from './shared/translation-log';
export * from './shared/tool-names';
export * from './shared/opaque';

// SSE
export * from './sse/sse-splitter';
export * from './sse/sse-event';
export * from './sse/upstream-stream-reader';

// OpenAI Chat Completions (+ compatible)
export * from './openai-chat/usage';
export * from './openai-chat/errors';
export * from './openai-chat/stream-tap';
export * from './openai-chat/request-decoder';
export * from './openai-chat/request-encoder';
export * from './openai-chat/response-decoder';
export * from './openai-chat/response-encoder';
export * from './openai-chat/stream-decoder';
export * from './openai-chat/stream-encoder';
export * from './openai-compatible/compat-profiles';

// OpenAI Responses
export * from './openai-responses/usage';
export * from './openai-responses/request-decoder';
export * from './openai-responses/request-encoder';
export * from './openai-responses/response-decoder';
export * from './openai-responses/response-encoder';
export * from './openai-responses/stream-decoder';
export * from './openai-responses/stream-encoder';

// Anthropic Messages
export * from './anthropic-messages/usage';
export * from './anthropic-messages/errors';
export * from './anthropic-messages/request-decoder';
export * from './anthropic-messages/request-encoder';
export * from './anthropic-messages/response-decoder';
export * from './anthropic-messages/response-encoder';
export * from './anthropic-messages/stream-decoder';
export * from './anthropic-messages/stream-encoder';

// Gemini
export * from './gemini/usage';
export * from './gemini/errors';
export * from './gemini/request-encoder';
export * from './gemini/response-decoder';
export * from './gemini/stream-decoder';

// gateway entry points
export * from './codecs';
export * from './stream-taps';
export * from './anthropic-messages/stream-tap';
export * from './openai-responses/stream-tap';
export * from './gemini/stream-tap';
export * from './compatibility-matrix';
export * from './gemini/request-decoder';
export * from './gemini/response-encoder';
export * from './shared/request-tools';

// Embeddings (OpenAI shape in, OpenAI or Gemini upstream)
export * from './embeddings/embeddings';
