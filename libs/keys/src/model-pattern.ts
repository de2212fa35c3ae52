/**
 * Which models a key may call: exact names or `*` wildcards (`gpt-4o*`, `claude-*`, `*`).
 * Compiled once per cached key, tested per request.
 */
export class ModelPattern {
  private readonly exact = new Set<string>();
  private readonly wildcards: RegExp[] = [];
  private readonly everything: boolean;

  constructor(patterns: readonly string[] | null) {
    this.everything = patterns === null || patterns.includes('*');
    for (const pattern of patterns ?? []) {
      if (!pattern.includes('*')) this.exact.add(pattern);
      else this.wildcards.push(new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`));
    }
  }

  allows(model: string): boolean {
    return this.everything || this.exact.has(model) || this.wildcards.some((pattern) => pattern.test(model));
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
