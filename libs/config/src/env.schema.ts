import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/**
 * Every environment variable Switchyard reads, with its default. Validated once at start-up;
 * errors name the variable, never its value.
 */
export class SwitchyardEnv {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://root@127.0.0.1:5432/switchyard';

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key and BullMQ queue, so several deployments (or test files) can share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be 1-40 letters, digits, _ or -' })
  REDIS_KEY_PREFIX = 'sy';

  @Type(() => Number) @IsInt() @Min(0) @Max(65535) GATEWAY_PORT = 8080;
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) ADMIN_PORT = 8081;
  /** Health endpoints of a billing worker running alone (all-in-one serves health on the other two ports). */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) WORKER_PORT = 8082;
  @IsString() HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  SECRETS_KEY?: string;

  @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) SECRETS_KEY_VERSION = 1;

  /** Older master keys still needed to decrypt, as `version:secret` pairs separated by commas. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SECRETS_PREVIOUS_KEYS?: string;

  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' =
    'development';
  @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Serve GET /v1/catalog at list prices to callers without a key. */
  @IsIn(['true', 'false']) PUBLIC_CATALOG: 'true' | 'false' = 'false';

  @Type(() => Number) @IsInt() @Min(1024) @Max(512 * 1024 * 1024) GATEWAY_MAX_BODY_BYTES = 20 * 1024 * 1024;
  /** Time allowed for the upstream to send response headers (the first byte of a stream). */
  @Type(() => Number) @IsInt() @Min(100) UPSTREAM_TIMEOUT_MS = 300_000;
  /** Longest silence tolerated between two chunks of an upstream body. */
  @Type(() => Number) @IsInt() @Min(100) UPSTREAM_IDLE_TIMEOUT_MS = 300_000;
  @Type(() => Number) @IsInt() @Min(100) UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(4096) UPSTREAM_POOL_CONNECTIONS = 128;

  @Type(() => Number) @IsInt() @Min(1) @Max(10_000) USAGE_FLUSH_MS = 50;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000) USAGE_BATCH_SIZE = 200;
  @IsString() OUTBOX_DIR = '.switchyard/outbox';
  /** Usage jobs in flight per worker; they are committed to Postgres in groups (see UsageBatcher). */
  @Type(() => Number) @IsInt() @Min(1) @Max(5000) WORKER_CONCURRENCY = 200;

  /** Seconds an in-process key cache entry lives without a pub/sub invalidation. */
  @Type(() => Number) @IsInt() @Min(1) KEY_CACHE_TTL_SECONDS = 60;

  @Transform(emptyToUndefined) @IsOptional() @IsString() SWITCHYARD_CONFIG?: string;

  // Declarative-start shortcuts: each present key upserts a provider and its catalog models.
  @Transform(emptyToUndefined) @IsOptional() @IsString() OPENAI_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() OPENAI_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() DEEPSEEK_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() DEEPSEEK_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() XAI_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() XAI_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() ANTHROPIC_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() ANTHROPIC_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() GEMINI_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() GEMINI_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() DASHSCOPE_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() DASHSCOPE_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() GROQ_API_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() GROQ_BASE_URL?: string;
}
