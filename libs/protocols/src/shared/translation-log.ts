import { IrExtra, IrRequest, WireProtocol } from '../ir/ir-request';
import { unsupportedParameter } from './errors';

export type ParamAction = 'carry' | 'drop' | 'refuse';

type Policy = { default: ParamAction } & Partial<Record<WireProtocol, ParamAction>>;

/**
 * What each upstream encoder does with a parameter the IR has no common field for (an IrExtra),
 * by the parameter's wire name in the client protocol. `carry` copies it verbatim (same family
 * only), `drop` leaves it out with a note (no effect on the answer: caching hints, bookkeeping),
 * `refuse` answers 400 unless the operator marked the parameter droppable. An extra missing here
 * is refused: new parameters are never lost silently.
 */
export const EXTRA_POLICY: Readonly<Record<string, Policy>> = {
  // OpenAI Chat / Responses bookkeeping: harmless to lose, carried between OpenAI wires
  store: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  metadata: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  service_tier: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  prompt_cache_key: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  prompt_cache_retention: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  safety_identifier: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  verbosity: { default: 'drop', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  include: { default: 'drop', 'openai-responses': 'carry' },
  client_metadata: { default: 'drop' },
  truncation: { default: 'drop', 'openai-responses': 'carry' },
  // Anthropic-only knobs with no effect on what other vendors answer
  context_management: { default: 'drop', 'anthropic-messages': 'carry' },
  inference_geo: { default: 'drop', 'anthropic-messages': 'carry' },
  cache_control: { default: 'drop', 'anthropic-messages': 'carry' },
  // Gemini-only request fields
  safetySettings: { default: 'drop', gemini: 'carry' },
  labels: { default: 'drop', gemini: 'carry' },
  serviceTier: { default: 'drop', gemini: 'carry' },
  cachedContent: { default: 'refuse', gemini: 'carry' },
  // Changes the answer or needs server state: refuse when it cannot be honoured
  n: { default: 'refuse', 'openai-chat': 'carry' },
  logprobs: { default: 'refuse', 'openai-chat': 'carry' },
  top_logprobs: { default: 'refuse', 'openai-chat': 'carry', 'openai-responses': 'carry' },
  logit_bias: { default: 'refuse', 'openai-chat': 'carry' },
  audio: { default: 'refuse', 'openai-chat': 'carry' },
  modalities: { default: 'refuse', 'openai-chat': 'carry' },
  prediction: { default: 'refuse', 'openai-chat': 'carry' },
  web_search_options: { default: 'refuse', 'openai-chat': 'carry' },
  functions: { default: 'refuse' },
  previous_response_id: { default: 'refuse', 'openai-responses': 'carry' },
  conversation: { default: 'refuse', 'openai-responses': 'carry' },
  background: { default: 'refuse', 'openai-responses': 'carry' },
  prompt: { default: 'refuse', 'openai-responses': 'carry' },
  max_tool_calls: { default: 'refuse', 'openai-responses': 'carry' },
  container: { default: 'refuse', 'anthropic-messages': 'carry' },
  mcp_servers: { default: 'refuse', 'anthropic-messages': 'carry' },
  tool_choice: { default: 'refuse' }, // only the forms the IR cannot express (allowed_tools, hosted)
};

const family = (wire: WireProtocol): string =>
  wire === 'openai-chat' || wire === 'openai-responses' ? 'openai' : wire;

/**
 * The action for extra `name` decoded from `source` and encoded for `target`. `carry` only holds
 * within one vendor family: Anthropic's `service_tier` values mean nothing to OpenAI.
 */
export function extraAction(name: string, source: WireProtocol, target: WireProtocol): ParamAction {
  const policy = EXTRA_POLICY[name];
  if (!policy) return 'refuse';
  const action = policy[target] ?? policy.default;
  if (action === 'carry' && family(source) !== family(target))
    return policy.default === 'carry' ? 'drop' : policy.default;
  return action;
}

/**
 * Records what one request encoding could not carry over. `refuse` throws the 400 the gateway
 * returns ("unsupported parameter X for upstream kind Y") unless the operator allowed dropping X.
 */
export class TranslationLog {
  readonly dropped: string[] = [];

  constructor(
    readonly target: WireProtocol,
    private readonly upstreamLabel: string,
    private readonly droppable: ReadonlySet<string> | undefined,
  ) {}

  /** Left out by policy, with no effect on the answer (or an operator-approved drop). */
  drop(param: string): void {
    if (!this.dropped.includes(param)) this.dropped.push(param);
  }

  refuse(param: string, reason?: string): void {
    if (this.droppable?.has(param)) {
      this.drop(param);
      return;
    }
    throw unsupportedParameter(param, this.upstreamLabel, reason);
  }

  /** Applies EXTRA_POLICY to every extra, returning the ones to copy into the upstream body. */
  carriedExtras(request: IrRequest): IrExtra[] {
    const carried: IrExtra[] = [];
    for (const extra of request.extras) {
      const action = extraAction(extra.name, request.source, this.target);
      if (action === 'carry') carried.push(extra);
      else if (action === 'drop') this.drop(extra.name);
      else this.refuse(extra.name);
    }
    return carried;
  }
}

/** Options every upstream request encoder takes. */
export interface RequestEncodeOptions {
  /** The upstream's model id. */
  model: string;
  /** Upstream kind for messages ("… for upstream kind anthropic"); defaults to the wire name. */
  upstreamKind?: string;
  /** Parameter names the operator allows dropping instead of refusing. */
  droppable?: ReadonlySet<string>;
  /** Anthropic requires max_tokens: used when the client sent none. */
  defaultMaxTokens?: number;
}

/** An upstream request body, ready to send, with what had to be left out. */
export interface EncodedRequest {
  body: string;
  dropped: string[];
}
