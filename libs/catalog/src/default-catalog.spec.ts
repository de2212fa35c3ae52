import { PROVIDER_KINDS } from '@switchyard/database';
import { defaultCatalog } from './default-catalog';
import { readPrices } from './price-input';

describe('the default catalog data file', () => {
  const catalog = defaultCatalog();

  it('declares a known kind and a base URL for every built-in provider', () => {
    for (const [name, provider] of Object.entries(catalog.providers)) {
      expect([name, PROVIDER_KINDS.includes(provider.kind)]).toEqual([name, true]);
      expect(provider.base_url).toMatch(/^https:\/\//);
    }
  });

  it('lists models only under known providers, with exact prices and unique names', () => {
    const names = new Set<string>();
    for (const [provider, models] of Object.entries(catalog.models)) {
      expect(catalog.providers[provider]).toBeDefined();
      for (const model of models) {
        expect(names.has(model.name)).toBe(false);
        names.add(model.name);
        const prices = readPrices(model.prices, model.name);
        expect(prices.input).toBeGreaterThanOrEqual(0n);
        expect(prices.cachedInput).toBeLessThanOrEqual(prices.input);
      }
    }
    expect(names.has('gpt-4o')).toBe(true);
    expect(readPrices(catalog.models.openai.find((m) => m.name === 'gpt-4o')!.prices, 'gpt-4o').input).toBe(
      2_500_000_000n,
    );
  });
});
