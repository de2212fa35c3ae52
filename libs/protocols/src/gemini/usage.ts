import { obj } from '../shared/read';
import { count, NormalizedUsage } from '../shared/usage';

/**
 * Normalises Gemini `usageMetadata`: the prompt count includes cached content (and tool-use
 * prompts), output is candidates + thoughts. Returns null for a snapshot without counts (Vertex
 * sends `{"trafficType": …}` alone on intermediate chunks), so it never overwrites a real one.
 */
export function normalizeGeminiUsage(metadata: unknown): NormalizedUsage | null {
  const raw = obj(metadata);
  if (!raw) return null;
  if (
    raw.promptTokenCount === undefined &&
    raw.candidatesTokenCount === undefined &&
    raw.totalTokenCount === undefined
  )
    return null;
  const prompt = count(raw.promptTokenCount) + count(raw.toolUsePromptTokenCount);
  const cachedInput = Math.min(count(raw.cachedContentTokenCount), prompt);
  const thoughts = count(raw.thoughtsTokenCount);
  return {
    input: prompt - cachedInput,
    cachedInput,
    cacheWrite: 0, // explicit caches are billed as storage, not per request
    output: count(raw.candidatesTokenCount) + thoughts,
    reasoning: thoughts,
  };
}
