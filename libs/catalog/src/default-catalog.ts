import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@switchyard/common';
import { PriceStrings } from './price-input';

export interface DefaultProvider {
  kind: 'openai' | 'openai_compatible' | 'anthropic' | 'gemini';
  base_url: string;
  profile?: string;
}

export interface DefaultModel {
  name: string;
  upstream_model?: string;
  context_window?: number;
  capabilities?: Record<string, boolean>;
  prices: PriceStrings;
}

export interface DefaultCatalog {
  providers: Record<string, DefaultProvider>;
  models: Record<string, DefaultModel[]>;
}

let cached: DefaultCatalog | undefined;

/** The list-price catalog shipped in `libs/catalog/data/default-models.yaml`. */
export function defaultCatalog(): DefaultCatalog {
  // The file is part of the repository and checked by its own test; a parse error is a bug.
  cached ??= parse(
    readFileSync(join(repoRoot(), 'libs/catalog/data/default-models.yaml'), 'utf8'),
  ) as DefaultCatalog;
  return cached;
}
