import { Brand } from './brand';

/** An amount of money in nano-USD (1e-9 USD). Never a float. */
export type NanoUsd = Brand<bigint, 'NanoUsd'>;

export const NANO_PER_USD = 1_000_000_000n;
const TOKENS_PER_PRICE_UNIT = 1_000_000n;
const USD_DECIMAL = /^(-)?(\d{1,12})(?:\.(\d{1,9}))?$/;

export const nanoUsd = (value: bigint): NanoUsd => value as NanoUsd;
export const ZERO_USD = nanoUsd(0n);

/**
 * Parses a decimal USD string ("2.50", "0.000150") into nano-USD exactly.
 * Returns null when the string is not a plain decimal with at most 9 fraction digits.
 */
export function parseUsd(text: string): NanoUsd | null {
  const match = USD_DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const magnitude = BigInt(whole) * NANO_PER_USD + BigInt(fraction.padEnd(9, '0'));
  return nanoUsd(sign ? -magnitude : magnitude);
}

/** Formats nano-USD as a decimal USD string with trailing zeros trimmed to at least two decimals. */
export function formatUsd(amount: NanoUsd | bigint): string {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const whole = magnitude / NANO_PER_USD;
  const fraction = (magnitude % NANO_PER_USD).toString().padStart(9, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * Token counts of one request, normalised across protocols: `input` excludes cached reads and
 * cache writes; `output` includes reasoning. Counts are safe integers; money math is bigint.
 */
export interface TokenCounts {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
}

/** Prices (or costs) in nano-USD per 1M tokens. */
export interface TokenPrices {
  input: NanoUsd;
  cachedInput: NanoUsd;
  cacheWrite: NanoUsd;
  output: NanoUsd;
}

/** Sums every part, divides once, rounds half up: the only place a price is computed. */
export function priceOf(tokens: TokenCounts, prices: TokenPrices): NanoUsd {
  const scaled =
    BigInt(tokens.input) * prices.input +
    BigInt(tokens.cachedInput) * prices.cachedInput +
    BigInt(tokens.cacheWrite) * prices.cacheWrite +
    BigInt(tokens.output) * prices.output;
  return nanoUsd((scaled + TOKENS_PER_PRICE_UNIT / 2n) / TOKENS_PER_PRICE_UNIT);
}

/**
 * Applies a markup (positive) or discount (negative) in basis points to a price, rounding half up.
 * 250 = +2.5 %, -1000 = -10 %.
 */
export function applyBasisPoints(price: NanoUsd, basisPoints: number): NanoUsd {
  if (basisPoints === 0) return price;
  const scaled = price * BigInt(10_000 + basisPoints);
  return nanoUsd((scaled + 5_000n) / 10_000n);
}
