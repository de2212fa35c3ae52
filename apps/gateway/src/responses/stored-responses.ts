import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isJsonObject, JsonObject, JsonValue, ProviderId, TenantId } from '@switchyard/common';
import { StoredResponseEntity } from '@switchyard/database';

/** How long a stored response can be continued (OpenAI keeps responses 30 days). */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;
/** Longest chain of previous_response_id followed; deeper history is a client bug or a loop. */
const MAX_CHAIN = 256;

/** The conversation behind a `previous_response_id`, oldest item first. */
export interface ResponseHistory {
  items: JsonValue[];
  /** The upstream account that made the newest response, and whether it keeps it too. */
  providerId: ProviderId;
  upstreamStored: boolean;
}

export interface ResponseToStore {
  tenantId: TenantId;
  id: string;
  previousResponseId: string | null;
  model: string;
  providerId: ProviderId;
  upstreamStored: boolean;
  input: JsonValue[];
  output: JsonValue[];
}

interface ChainRow {
  input: JsonValue[];
  output: JsonValue[];
  provider_id: ProviderId;
  upstream_stored: boolean;
}

/**
 * Responses API conversations created through the gateway, per tenant: what lets a client send
 * `previous_response_id` whichever upstream answers the next turn. Read once per request that
 * names a previous response (one recursive query), written once per stored response, before the
 * client sees its id.
 */
@Injectable()
export class StoredResponses {
  constructor(
    @InjectRepository(StoredResponseEntity) private readonly rows: Repository<StoredResponseEntity>,
  ) {}

  /** The items of `responseId` and every response before it, or null when the tenant has none such. */
  async history(tenantId: TenantId, responseId: string): Promise<ResponseHistory | null> {
    const chain = await this.rows.query<ChainRow[]>(
      // `seen` stops at a cycle (an upstream that repeats its ids could make one).
      `WITH RECURSIVE chain AS (
         SELECT id, previous_response_id, input, output, provider_id, upstream_stored, 0 AS depth, ARRAY[id] AS seen
           FROM stored_responses WHERE tenant_id = $1 AND id = $2 AND expires_at > now()
         UNION ALL
         SELECT s.id, s.previous_response_id, s.input, s.output, s.provider_id, s.upstream_stored, chain.depth + 1, chain.seen || s.id
           FROM stored_responses s JOIN chain ON s.tenant_id = $1 AND s.id = chain.previous_response_id
          WHERE chain.depth < $3 AND s.expires_at > now() AND NOT s.id = ANY(chain.seen)
       )
       SELECT input, output, provider_id, upstream_stored FROM chain ORDER BY depth DESC`,
      [tenantId, responseId, MAX_CHAIN],
    );
    if (chain.length === 0) return null;
    const newest = chain[chain.length - 1];
    return {
      items: chain.flatMap((row) => [...row.input, ...row.output.map(asInputItem)]),
      providerId: newest.provider_id,
      upstreamStored: newest.upstream_stored,
    };
  }

  /** Stores a response; an upstream that repeats an id (a replay) replaces the earlier row of this tenant. */
  async save(response: ResponseToStore): Promise<void> {
    await this.rows.query(
      `INSERT INTO stored_responses (tenant_id, id, previous_response_id, model, provider_id, upstream_stored, input, output, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         previous_response_id = EXCLUDED.previous_response_id, model = EXCLUDED.model, provider_id = EXCLUDED.provider_id,
         upstream_stored = EXCLUDED.upstream_stored, input = EXCLUDED.input, output = EXCLUDED.output, expires_at = EXCLUDED.expires_at`,
      [
        response.tenantId,
        response.id,
        response.previousResponseId,
        response.model,
        response.providerId,
        response.upstreamStored,
        JSON.stringify(response.input),
        JSON.stringify(response.output),
        new Date(Date.now() + KEEP_MS),
      ],
    );
  }
}

/** A Responses request's `input` as a list of items (a string is one user message). */
export function inputItems(input: JsonValue | undefined): JsonValue[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

/**
 * An output item as it goes back in as input. An output message's `id` and `status` are the
 * answering server's bookkeeping: another upstream would look the id up and fail, and the
 * content alone carries the turn. Everything else (reasoning with encrypted content, function
 * calls by call_id) is valid input as it stands.
 */
function asInputItem(item: JsonValue): JsonValue {
  if (!isJsonObject(item) || item.type !== 'message') return item;
  const copy: JsonObject = { ...item };
  delete copy.status;
  delete copy.id;
  return copy;
}
