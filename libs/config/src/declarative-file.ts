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
  /** Parameters the gateway may drop instead of refusing (see ModelEntity.droppableParams). */
  droppable_params?: string[];
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
export function readDeclarativeFile(
  path: string,
  env: NodeJS.ProcessEnv,
  problems: string[],
): DeclarativeFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(
      `SWITCHYARD_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
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
const str: Check = (value, path, problems) =>
  typeof value === 'string' && value.length > 0
    ? true
    : (problems.push(`${path} must be a non-empty string`), false);
const optional =
  (check: Check): Check =>
  (value, path, problems) =>
    value === undefined || check(value, path, problems);
const int: Check = (value, path, problems) =>
  Number.isInteger(value) && (value as number) >= 0
    ? true
    : (problems.push(`${path} must be a non-negative integer`), false);
const decimal: Check = (value, path, problems) =>
  typeof value === 'string' && /^\d{1,12}(\.\d{1,9})?$/.test(value)
    ? true
    : (problems.push(`${path} must be a decimal string such as "2.50"`), false);

function isPrices(value: unknown, path: string, problems: string[]): value is DeclaredPrices {
  if (!isRecord(value)) return (problems.push(`${path} must be a mapping`), false);
  return [
    decimal(value.input, `${path}.input`, problems),
    decimal(value.output, `${path}.output`, problems),
    optional(decimal)(value.cached_input, `${path}.cached_input`, problems),
    optional(decimal)(value.cache_write, `${path}.cache_write`, problems),
  ].every(Boolean);
}

function isProvider(provider: unknown, path: string, problems: string[]): provider is DeclaredProvider {
  if (!isRecord(provider)) return (problems.push(`${path} must be a mapping`), false);
  return [
    str(provider.name, `${path}.name`, problems),
    str(provider.kind, `${path}.kind`, problems),
    optional(str)(provider.base_url, `${path}.base_url`, problems),
    optional(str)(provider.api_key, `${path}.api_key`, problems),
    optional(str)(provider.profile, `${path}.profile`, problems),
  ].every(Boolean);
}

function isDeployment(
  deployment: unknown,
  path: string,
  problems: string[],
): deployment is DeclaredDeployment {
  if (!isRecord(deployment)) return (problems.push(`${path} must be a mapping`), false);
  return [
    str(deployment.provider, `${path}.provider`, problems),
    optional(str)(deployment.upstream_model, `${path}.upstream_model`, problems),
    optional(int)(deployment.priority, `${path}.priority`, problems),
    optional(int)(deployment.weight, `${path}.weight`, problems),
    deployment.costs === undefined || isPrices(deployment.costs, `${path}.costs`, problems),
  ].every(Boolean);
}

function isModel(model: unknown, path: string, problems: string[]): model is DeclaredModel {
  if (!isRecord(model)) return (problems.push(`${path} must be a mapping`), false);
  const checks = [
    str(model.name, `${path}.name`, problems),
    isPrices(model.prices, `${path}.prices`, problems),
    optional(int)(model.context_window, `${path}.context_window`, problems),
    model.droppable_params === undefined ||
      (Array.isArray(model.droppable_params) &&
        model.droppable_params.every(
          (name) => typeof name === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(name),
        )) ||
      (problems.push(`${path}.droppable_params must be a list of parameter names`), false),
  ];
  if (!Array.isArray(model.deployments) || model.deployments.length === 0) {
    problems.push(`${path}.deployments must be a non-empty list`);
    return false;
  }
  const deployments: unknown[] = model.deployments;
  const deploymentsOk = deployments.map((deployment, j) =>
    isDeployment(deployment, `${path}.deployments[${j}]`, problems),
  );
  return [...checks, ...deploymentsOk].every(Boolean);
}

function listAt(
  document: Record<string, unknown>,
  key: 'providers' | 'models',
  problems: string[],
): unknown[] {
  const value = document[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key} must be a list`);
    return [];
  }
  return value;
}

function checkFile(document: unknown, problems: string[]): DeclarativeFile {
  if (!isRecord(document)) {
    problems.push('switchyard.yaml must be a mapping with providers and models');
    return { providers: [], models: [] };
  }
  const providers = listAt(document, 'providers', problems).filter(
    (provider, i): provider is DeclaredProvider => isProvider(provider, `providers[${i}]`, problems),
  );
  const models = listAt(document, 'models', problems).filter((model, i): model is DeclaredModel =>
    isModel(model, `models[${i}]`, problems),
  );
  return { providers, models };
}
