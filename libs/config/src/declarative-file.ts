import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Prices as written by operators: USD per 1M tokens, decimal strings. */
export interface DeclaredPrices {
  input: string;
  cached_input?: string;
  cache_write?: string;
  output: string;
}

export interface DeclaredProvider {
  name: string;
  kind: string;
  base_url?: string;
  api_key?: string;
  profile?: string;
}

export interface DeclaredDeployment {
  provider: string;
  upstream_model?: string;
  priority?: number;
  weight?: number;
  costs?: DeclaredPrices;
}

export interface DeclaredModel {
  name: string;
  aliases?: string[];
  context_window?: number;
  capabilities?: Record<string, boolean>;
  prices: DeclaredPrices;
  deployments: DeclaredDeployment[];
}

export interface DeclarativeFile {
  providers: DeclaredProvider[];
  models: DeclaredModel[];
}

const INTERPOLATION = /\$\{([A-Z0-9_]+)\}/g;

/**
 * Reads `switchyard.yaml`: providers and models to upsert at start-up. `${VAR}` is replaced by
 * the environment variable (so secrets stay out of the file). Problems are reported by path,
 * never by value.
 */
export function readDeclarativeFile(path: string, env: NodeJS.ProcessEnv, problems: string[]): DeclarativeFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`SWITCHYARD_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const missing = new Set<string>();
  const interpolated = text.replace(INTERPOLATION, (_, name: string) => {
    const value = env[name];
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  for (const name of missing) problems.push(`switchyard.yaml refers to \${${name}}, which is not set`);
  let document: unknown;
  try {
    document = parse(interpolated);
  } catch (error) {
    problems.push(`switchyard.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const before = problems.length;
  const file = checkFile(document ?? {}, problems);
  return problems.length === before ? file : undefined;
}

type Check = (value: unknown, path: string, problems: string[]) => boolean;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str: Check = (value, path, problems) => typeof value === 'string' && value.length > 0 ? true : (problems.push(`${path} must be a non-empty string`), false);
const optional = (check: Check): Check => (value, path, problems) => value === undefined || check(value, path, problems);
const int: Check = (value, path, problems) => Number.isInteger(value) && (value as number) >= 0 ? true : (problems.push(`${path} must be a non-negative integer`), false);
const decimal: Check = (value, path, problems) =>
  typeof value === 'string' && /^\d{1,12}(\.\d{1,9})?$/.test(value) ? true : (problems.push(`${path} must be a decimal string such as "2.50"`), false);

function checkPrices(value: unknown, path: string, problems: string[]): value is DeclaredPrices {
  if (!isRecord(value)) return problems.push(`${path} must be a mapping`), false;
  return [
    decimal(value.input, `${path}.input`, problems),
    decimal(value.output, `${path}.output`, problems),
    optional(decimal)(value.cached_input, `${path}.cached_input`, problems),
    optional(decimal)(value.cache_write, `${path}.cache_write`, problems),
  ].every(Boolean);
}

function checkFile(document: unknown, problems: string[]): DeclarativeFile {
  if (!isRecord(document)) {
    problems.push('switchyard.yaml must be a mapping with providers and models');
    return { providers: [], models: [] };
  }
  const providers = Array.isArray(document.providers) ? document.providers : [];
  const models = Array.isArray(document.models) ? document.models : [];
  if (document.providers !== undefined && !Array.isArray(document.providers)) problems.push('providers must be a list');
  if (document.models !== undefined && !Array.isArray(document.models)) problems.push('models must be a list');
  providers.forEach((provider: unknown, i) => {
    const path = `providers[${i}]`;
    if (!isRecord(provider)) return problems.push(`${path} must be a mapping`);
    str(provider.name, `${path}.name`, problems);
    str(provider.kind, `${path}.kind`, problems);
    optional(str)(provider.base_url, `${path}.base_url`, problems);
    optional(str)(provider.api_key, `${path}.api_key`, problems);
    optional(str)(provider.profile, `${path}.profile`, problems);
  });
  models.forEach((model: unknown, i) => {
    const path = `models[${i}]`;
    if (!isRecord(model)) return problems.push(`${path} must be a mapping`);
    str(model.name, `${path}.name`, problems);
    checkPrices(model.prices, `${path}.prices`, problems);
    optional(int)(model.context_window, `${path}.context_window`, problems);
    if (!Array.isArray(model.deployments) || model.deployments.length === 0) {
      return problems.push(`${path}.deployments must be a non-empty list`);
    }
    model.deployments.forEach((deployment: unknown, j) => {
      const at = `${path}.deployments[${j}]`;
      if (!isRecord(deployment)) return problems.push(`${at} must be a mapping`);
      str(deployment.provider, `${at}.provider`, problems);
      optional(str)(deployment.upstream_model, `${at}.upstream_model`, problems);
      optional(int)(deployment.priority, `${at}.priority`, problems);
      optional(int)(deployment.weight, `${at}.weight`, problems);
      if (deployment.costs !== undefined) checkPrices(deployment.costs, `${at}.costs`, problems);
    });
  });
  // Every field was checked above; problems were reported and the caller discards the file.
  return { providers, models } as DeclarativeFile;
}
