import { IrReasoningConfig, ReasoningEffort } from '../ir/ir-request';

const ORDER: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/** Thinking budget for an effort level (decision, translation.md §1.8). */
export function budgetForEffort(effort: ReasoningEffort): number {
  switch (effort) {
    case 'none':
      return 0;
    case 'minimal':
    case 'low':
      return 1024;
    case 'medium':
      return 4096;
    case 'high':
      return 16384;
    case 'xhigh':
    case 'max':
      return 32768;
  }
}

/** Effort level for a thinking budget, the inverse of budgetForEffort's bands. */
export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= 0) return 'none';
  if (budget <= 2048) return 'low';
  if (budget <= 8192) return 'medium';
  if (budget <= 24576) return 'high';
  return 'xhigh';
}

/** The effort a reasoning config asks for, whichever way it was expressed; undefined = no preference. */
export function requestedEffort(reasoning: IrReasoningConfig | undefined): ReasoningEffort | undefined {
  if (!reasoning) return undefined;
  if (reasoning.mode === 'disabled') return 'none';
  if (reasoning.effort) return reasoning.effort;
  if (reasoning.budgetTokens !== undefined) return effortForBudget(reasoning.budgetTokens);
  return undefined;
}

/** The closest level a server accepts: the first supported one at or above the request, else the highest. */
export function nearestEffort(
  wanted: ReasoningEffort,
  supported: readonly ReasoningEffort[],
): ReasoningEffort | undefined {
  if (supported.includes(wanted)) return wanted;
  const rank = ORDER.indexOf(wanted);
  const sorted = [...supported].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return sorted.find((level) => ORDER.indexOf(level) >= rank) ?? sorted[sorted.length - 1];
}
