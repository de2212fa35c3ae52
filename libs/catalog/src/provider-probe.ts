import { ProviderEntity } from '@switchyard/database';

export interface ProbeResult {
  ok: boolean;
  /** HTTP status of the upstream's answer, or null when it could not be reached. */
  status: number | null;
  latencyMs: number;
  /** What went wrong, in words safe to show (never the secret or the upstream body). */
  error: string | null;
}

const PROBE_TIMEOUT_MS = 10_000;

/** The cheapest authenticated call of each kind: listing models. */
function probeRequest(
  provider: ProviderEntity,
  secret: string,
): { url: string; headers: Record<string, string> } {
  switch (provider.kind) {
    case 'anthropic':
      return {
        url: `${provider.baseUrl}/v1/models`,
        headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
      };
    case 'gemini':
      return { url: `${provider.baseUrl}/v1beta/models`, headers: { 'x-goog-api-key': secret } };
    case 'openai':
    case 'openai_compatible':
      return { url: `${provider.baseUrl}/models`, headers: { authorization: `Bearer ${secret}` } };
  }
}

/** Checks that the upstream answers and accepts the credential. */
export async function probeCredential(provider: ProviderEntity, secret: string): Promise<ProbeResult> {
  const { url, headers } = probeRequest(provider, secret);
  const started = Date.now();
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    const latencyMs = Date.now() - started;
    if (response.ok) return { ok: true, status: response.status, latencyMs, error: null };
    const error =
      response.status === 401 || response.status === 403
        ? 'the upstream refused this credential'
        : `the upstream answered HTTP ${response.status}`;
    return { ok: false, status: response.status, latencyMs, error };
  } catch (error) {
    const cause =
      (error as { cause?: { code?: string }; name?: string }).cause?.code ?? (error as Error).name;
    return {
      ok: false,
      status: null,
      latencyMs: Date.now() - started,
      error: `could not reach the upstream (${cause})`,
    };
  }
}
