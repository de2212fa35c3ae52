import { applyBasisPoints, formatUsd, nanoUsd, parseUsd, priceOf } from './money';

describe('parseUsd', () => {
  it.each([
    ['2.50', 2_500_000_000n],
    ['0.000150', 150_000n],
    ['15', 15_000_000_000n],
    ['0.000000001', 1n],
    ['-1.25', -1_250_000_000n],
  ])('reads %s exactly as %s nano-USD', (text, expected) => {
    expect(parseUsd(text)).toBe(expected);
  });

  it.each(['1e3', '0.0000000001', 'abc', '', '1.', '.5', '1,5', 'NaN'])('refuses %p', (text) => {
    expect(parseUsd(text)).toBeNull();
  });
});

describe('formatUsd', () => {
  it.each([
    [2_500_000_000n, '2.50'],
    [150_000n, '0.00015'],
    [1n, '0.000000001'],
    [-1_250_000_000n, '-1.25'],
    [0n, '0.00'],
  ])('writes %s nano-USD as %s', (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });

  it('round-trips through parseUsd', () => {
    for (const amount of [0n, 7n, 123_456_789_012n, -42n]) {
      expect(parseUsd(formatUsd(amount))).toBe(amount);
    }
  });
});

describe('priceOf', () => {
  const prices = {
    input: nanoUsd(2_500_000_000n), // $2.50 / 1M
    cachedInput: nanoUsd(1_250_000_000n),
    cacheWrite: nanoUsd(3_125_000_000n),
    output: nanoUsd(10_000_000_000n),
  };

  it('sums every part before dividing once', () => {
    const tokens = { input: 14, cachedInput: 0, cacheWrite: 0, output: 30 };
    // 14 * 2500 + 30 * 10000 = 335,000 nano-USD
    expect(priceOf(tokens, prices)).toBe(335_000n);
  });

  it('rounds half up on the total, not per part', () => {
    const onePerMillion = {
      input: nanoUsd(1n),
      cachedInput: nanoUsd(1n),
      cacheWrite: nanoUsd(1n),
      output: nanoUsd(1n),
    };
    expect(priceOf({ input: 499_999, cachedInput: 0, cacheWrite: 0, output: 0 }, onePerMillion)).toBe(0n);
    expect(priceOf({ input: 250_000, cachedInput: 250_000, cacheWrite: 0, output: 0 }, onePerMillion)).toBe(
      1n,
    );
  });

  it('prices cached reads and cache writes at their own rates', () => {
    const tokens = { input: 6, cachedInput: 6289, cacheWrite: 3337, output: 100 };
    const expected =
      (6n * 2_500_000_000n +
        6289n * 1_250_000_000n +
        3337n * 3_125_000_000n +
        100n * 10_000_000_000n +
        500_000n) /
      1_000_000n;
    expect(priceOf(tokens, prices)).toBe(expected);
  });
});

describe('applyBasisPoints', () => {
  it('marks up and discounts with half-up rounding', () => {
    expect(applyBasisPoints(nanoUsd(1_000n), 250)).toBe(1_025n);
    expect(applyBasisPoints(nanoUsd(1_000n), -1_000)).toBe(900n);
    expect(applyBasisPoints(nanoUsd(3n), 5_000)).toBe(5n); // 4.5 -> 5
    expect(applyBasisPoints(nanoUsd(1_000n), 0)).toBe(1_000n);
  });
});
