import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DeclarativeFile, readDeclarativeFile } from './declarative-file';
import { SwitchyardEnv } from './env.schema';

/** One upstream account declared by an env shortcut (e.g. `OPENAI_API_KEY`). */
export interface EnvProviderShortcut {
  name: string;
  apiKey: string;
  baseUrl?: string;
}

/** A master key that encrypts upstream credentials, by version. */
export interface MasterKey {
  version: number;
  secret: string;
}

/**
 * The whole validated configuration. Injected by class token; read on the hot path as plain
 * fields, never re-parsed.
 */
export class AppConfig {
  readonly nodeEnv!: SwitchyardEnv['NODE_ENV'];
  readonly logLevel!: SwitchyardEnv['LOG_LEVEL'];
  readonly host!: string;
  readonly database!: { url: string };
  readonly redis!: { url: string; keyPrefix: string };
  readonly gateway!: {
    port: number;
    maxBodyBytes: number;
    upstreamTimeoutMs: number;
    upstreamIdleTimeoutMs: number;
    upstreamConnectTimeoutMs: number;
    upstreamPoolConnections: number;
    keyCacheTtlMs: number;
    publicCatalog: boolean;
  };
  readonly admin!: { port: number; bootstrapToken?: string };
  readonly secrets!: { current?: MasterKey; previous: MasterKey[] };
  readonly metering!: { flushMs: number; batchSize: number; outboxDir: string };
  readonly worker!: { concurrency: number; port: number };
  readonly declarative!: { configFile?: string; file?: DeclarativeFile; providers: EnvProviderShortcut[] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  // Only the variable and the rule: a value may be a secret.
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property} ${message}`,
    ),
  );
}

function parsePreviousKeys(raw: string | undefined, problems: string[]): MasterKey[] {
  if (!raw) return [];
  return raw.split(',').flatMap((pair) => {
    const separator = pair.indexOf(':');
    const version = Number(pair.slice(0, separator));
    const secret = pair.slice(separator + 1).trim();
    if (separator < 1 || !Number.isInteger(version) || version < 1 || secret.length < 32) {
      problems.push(
        'SECRETS_PREVIOUS_KEYS must be comma-separated version:secret pairs, secrets of 32+ characters',
      );
      return [];
    }
    return [{ version, secret }];
  });
}

const SHORTCUTS: ReadonlyArray<[name: string, keyVar: keyof SwitchyardEnv, urlVar: keyof SwitchyardEnv]> = [
  ['openai', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'],
  ['deepseek', 'DEEPSEEK_API_KEY', 'DEEPSEEK_BASE_URL'],
  ['xai', 'XAI_API_KEY', 'XAI_BASE_URL'],
  ['anthropic', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
  ['gemini', 'GEMINI_API_KEY', 'GEMINI_BASE_URL'],
  ['qwen', 'DASHSCOPE_API_KEY', 'DASHSCOPE_BASE_URL'],
  ['groq', 'GROQ_API_KEY', 'GROQ_BASE_URL'],
];

/**
 * Validates `env` and builds the typed configuration. Throws a ConfigError naming every bad
 * variable at once. The only function in Switchyard that reads environment variables.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const known = Object.fromEntries(
    Object.keys(new SwitchyardEnv())
      .concat(
        SHORTCUTS.flatMap(([, k, u]) => [k, u]),
        ['ADMIN_TOKEN', 'SECRETS_KEY', 'SECRETS_PREVIOUS_KEYS', 'SWITCHYARD_CONFIG'],
      )
      .filter((name) => env[name] !== undefined)
      .map((name) => [name, env[name]]),
  );
  const parsed = plainToInstance(SwitchyardEnv, known, { exposeDefaultValues: true });
  const problems = describe(validateSync(parsed, { skipMissingProperties: false }));
  const previous = parsePreviousKeys(parsed.SECRETS_PREVIOUS_KEYS, problems);
  if (parsed.NODE_ENV === 'production' && !parsed.SECRETS_KEY) {
    problems.push('SECRETS_KEY is required when NODE_ENV=production');
  }
  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));
  const defaultFile = resolve(cwd, 'switchyard.yaml');
  const configFile = parsed.SWITCHYARD_CONFIG
    ? absolute(parsed.SWITCHYARD_CONFIG)
    : existsSync(defaultFile)
      ? defaultFile
      : undefined;
  const file = configFile ? readDeclarativeFile(configFile, env, problems) : undefined;
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze<AppConfig>({
    nodeEnv: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    database: { url: parsed.DATABASE_URL },
    redis: { url: parsed.REDIS_URL, keyPrefix: parsed.REDIS_KEY_PREFIX },
    gateway: {
      port: parsed.GATEWAY_PORT,
      maxBodyBytes: parsed.GATEWAY_MAX_BODY_BYTES,
      upstreamTimeoutMs: parsed.UPSTREAM_TIMEOUT_MS,
      upstreamIdleTimeoutMs: parsed.UPSTREAM_IDLE_TIMEOUT_MS,
      upstreamConnectTimeoutMs: parsed.UPSTREAM_CONNECT_TIMEOUT_MS,
      upstreamPoolConnections: parsed.UPSTREAM_POOL_CONNECTIONS,
      keyCacheTtlMs: parsed.KEY_CACHE_TTL_SECONDS * 1000,
      publicCatalog: parsed.PUBLIC_CATALOG === 'true',
    },
    admin: { port: parsed.ADMIN_PORT, bootstrapToken: parsed.ADMIN_TOKEN },
    secrets: {
      current: parsed.SECRETS_KEY
        ? { version: parsed.SECRETS_KEY_VERSION, secret: parsed.SECRETS_KEY }
        : undefined,
      previous,
    },
    metering: {
      flushMs: parsed.USAGE_FLUSH_MS,
      batchSize: parsed.USAGE_BATCH_SIZE,
      outboxDir: absolute(parsed.OUTBOX_DIR),
    },
    worker: { concurrency: parsed.WORKER_CONCURRENCY, port: parsed.WORKER_PORT },
    declarative: {
      configFile,
      file,
      providers: SHORTCUTS.flatMap(([name, keyVar, urlVar]) => {
        const apiKey = parsed[keyVar];
        const baseUrl = parsed[urlVar];
        return typeof apiKey === 'string'
          ? [{ name, apiKey, baseUrl: typeof baseUrl === 'string' ? baseUrl : undefined }]
          : [];
      }),
    },
  });
}
