import { TestSystem } from '../support/system';
import { FakeUpstream } from './fake-upstream';

/** The upstream flavours the gateway speaks to, as an operator registers them. */
export type UpstreamName = 'openai' | 'anthropic' | 'gemini' | 'deepseek' | 'xai';

export const UPSTREAM_NAMES: readonly UpstreamName[] = ['openai', 'anthropic', 'gemini', 'deepseek', 'xai'];

interface Registration {
  kind: 'openai' | 'anthropic' | 'gemini' | 'openai_compatible';
  profile?: string;
  /** Base URL per the interface contract: `/v1` for OpenAI-style kinds, the host root otherwise. */
  root: boolean;
  upstreamModel: string;
}

const REGISTRATIONS: Record<UpstreamName, Registration> = {
  openai: { kind: 'openai', root: false, upstreamModel: 'gpt-4o-2024-08-06' },
  anthropic: { kind: 'anthropic', root: true, upstreamModel: 'claude-sonnet-4-5-20250929' },
  gemini: { kind: 'gemini', root: true, upstreamModel: 'gemini-2.5-flash' },
  deepseek: { kind: 'openai_compatible', profile: 'deepseek', root: false, upstreamModel: 'deepseek-chat' },
  xai: { kind: 'openai_compatible', profile: 'xai', root: false, upstreamModel: 'grok-4' },
};

/** Sell prices of every test model: $1 in, $0.10 cached, $1.25 cache write, $2 out per 1M tokens. */
export const PRICES = { input: '1.00', cached_input: '0.10', cache_write: '1.25', output: '2.00' };

/** nano-USD a usage costs at PRICES (1 token of input = 1000 nano-USD). */
export function priceAt(usage: {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
}): string {
  return String(usage.input * 1000 + usage.cachedInput * 100 + usage.cacheWrite * 1250 + usage.output * 2000);
}

export interface RegisteredUpstream {
  name: UpstreamName;
  fake: FakeUpstream;
  /** The public model served only by this upstream. */
  model: string;
  providerId: string;
  upstreamModel: string;
}

/** The registered upstreams by name (a name this file did not register throws), and all of them. */
export type Upstreams = Readonly<Record<UpstreamName, RegisteredUpstream>> & {
  readonly all: readonly RegisteredUpstream[];
};

/** Starts one fake upstream per name and registers it (provider + a model `m-<name>`) through the admin API. */
export async function registerUpstreams(
  system: TestSystem,
  names: readonly UpstreamName[] = UPSTREAM_NAMES,
  options: { droppableParams?: string[] } = {},
): Promise<Upstreams> {
  const registered = new Map<UpstreamName, RegisteredUpstream>();
  for (const name of names) {
    const registration = REGISTRATIONS[name];
    const fake = await FakeUpstream.start();
    const provider = await system.adminClient.post<{ id: string }>('/admin/v1/providers', {
      name: `up-${name}`,
      kind: registration.kind,
      base_url: registration.root ? fake.url : fake.v1,
      api_key: `secret-${name}-upstream-key`,
      ...(registration.profile ? { profile: registration.profile } : {}),
    });
    if (provider.status !== 201) throw new Error(`provider setup failed: ${provider.text}`);
    const model = await system.adminClient.post<{ id: string }>('/admin/v1/models', {
      name: `m-${name}`,
      deployments: [{ provider_id: provider.body.id, upstream_model: registration.upstreamModel }],
      prices: PRICES,
      ...(options.droppableParams ? { droppable_params: options.droppableParams } : {}),
    });
    if (model.status !== 201) throw new Error(`model setup failed: ${model.text}`);
    registered.set(name, {
      name,
      fake,
      model: `m-${name}`,
      providerId: provider.body.id,
      upstreamModel: registration.upstreamModel,
    });
  }
  const get = (name: UpstreamName): RegisteredUpstream => {
    const upstream = registered.get(name);
    if (!upstream) throw new Error(`upstream ${name} was not registered by this test file`);
    return upstream;
  };
  return {
    all: [...registered.values()],
    get openai() {
      return get('openai');
    },
    get anthropic() {
      return get('anthropic');
    },
    get gemini() {
      return get('gemini');
    },
    get deepseek() {
      return get('deepseek');
    },
    get xai() {
      return get('xai');
    },
  };
}

export async function stopUpstreams(upstreams: Upstreams | undefined): Promise<void> {
  for (const upstream of upstreams?.all ?? []) await upstream.fake.stop();
}
