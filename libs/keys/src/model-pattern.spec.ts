import { ModelPattern } from './model-pattern';

describe('ModelPattern', () => {
  it('allows everything when unrestricted or "*"', () => {
    expect(new ModelPattern(null).allows('anything')).toBe(true);
    expect(new ModelPattern(['*']).allows('gpt-4o')).toBe(true);
  });

  it('matches exact names and wildcards, nothing else', () => {
    const pattern = new ModelPattern(['gpt-4o', 'claude-*', '*-mini']);
    expect(pattern.allows('gpt-4o')).toBe(true);
    expect(pattern.allows('gpt-4o-2024')).toBe(false);
    expect(pattern.allows('claude-sonnet-4-5')).toBe(true);
    expect(pattern.allows('o4-mini')).toBe(true);
    expect(pattern.allows('deepseek-chat')).toBe(false);
  });

  it('treats regex characters in names literally', () => {
    expect(new ModelPattern(['a.b*']).allows('axb')).toBe(false);
    expect(new ModelPattern(['a.b*']).allows('a.bc')).toBe(true);
  });

  it('allows nothing for an empty list', () => {
    expect(new ModelPattern([]).allows('gpt-4o')).toBe(false);
  });
});
