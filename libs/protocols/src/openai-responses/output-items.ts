import { IrReasoningPart } from '../ir/ir-request';
import { IrStopReason } from '../ir/ir-response';
import { ResolvedTool } from '../shared/tool-names';
import { wrapReasoning } from '../shared/opaque';
import { obj, parseJson, str } from '../shared/read';

/**
 * Builders for Responses output items as JSON text, shared by the response and stream encoders
 * (the stream repeats each finished item in `output_item.done` and `response.completed`).
 */

export function messageItem(id: string, text: string, status = 'completed'): string {
  const content = text === '' && status !== 'completed' ? '[]' : `[${outputTextPart(text)}]`;
  return `{"id":${JSON.stringify(id)},"type":"message","status":"${status}","role":"assistant","content":${content}}`;
}

export function outputTextPart(text: string): string {
  return `{"type":"output_text","annotations":[],"logprobs":[],"text":${JSON.stringify(text)}}`;
}

/**
 * A reasoning item. OpenAI's own reasoning keeps its encrypted_content; anyone else's (Anthropic
 * thinking + signature, DeepSeek text) rides in our wrapper so Codex-style stateless clients echo
 * it back and it returns to the provider that made it.
 */
export function reasoningItem(
  id: string,
  part: Pick<IrReasoningPart, 'provider' | 'text' | 'signature' | 'opaque' | 'redacted'>,
): string {
  const encrypted =
    part.provider === 'openai'
      ? part.opaque
      : wrapReasoning({
          provider: part.provider,
          text: part.text,
          signature: part.signature,
          opaque: part.opaque,
          redacted: part.redacted,
        });
  const summary = part.text ? `[{"type":"summary_text","text":${JSON.stringify(part.text)}}]` : '[]';
  const tail = encrypted === undefined ? '' : `,"encrypted_content":${JSON.stringify(encrypted)}`;
  return `{"id":${JSON.stringify(id)},"type":"reasoning","summary":${summary}${tail}}`;
}

export function functionCallItem(
  id: string,
  callId: string,
  tool: ResolvedTool,
  args: string,
  status = 'completed',
): string {
  const namespace = tool.namespace ? `,"namespace":${JSON.stringify(tool.namespace)}` : '';
  return (
    `{"id":${JSON.stringify(id)},"type":"function_call","status":"${status}","arguments":${JSON.stringify(args)},` +
    `"call_id":${JSON.stringify(callId)},"name":${JSON.stringify(tool.name)}${namespace}}`
  );
}

export function customToolCallItem(
  id: string,
  callId: string,
  tool: ResolvedTool,
  input: string,
  status = 'completed',
): string {
  const namespace = tool.namespace ? `,"namespace":${JSON.stringify(tool.namespace)}` : '';
  return (
    `{"id":${JSON.stringify(id)},"type":"custom_tool_call","status":"${status}","call_id":${JSON.stringify(callId)},` +
    `"name":${JSON.stringify(tool.name)},"input":${JSON.stringify(input)}${namespace}}`
  );
}

/** The raw input of a free-form tool call that crossed a wire as `{"input": "…"}` arguments. */
export function customInputOf(argsJson: string): string {
  const input = str(obj(parseJson(argsJson))?.input);
  return input ?? argsJson;
}

export function responseStatus(reason: IrStopReason): { status: string; incomplete: string } {
  if (reason === 'length' || reason === 'context_window')
    return { status: 'incomplete', incomplete: '{"reason":"max_output_tokens"}' };
  if (reason === 'content_filter') return { status: 'incomplete', incomplete: '{"reason":"content_filter"}' };
  return { status: 'completed', incomplete: 'null' };
}

export interface EnvelopeFields {
  id: string;
  createdAt: number;
  model: string;
  status: string;
  output: string;
  usage: string;
  incomplete: string;
  error: string;
  parallelToolCalls: boolean;
}

/** The `response` object (non-stream body, and inside created/completed/failed events). */
export function responseEnvelope(fields: EnvelopeFields): string {
  return (
    `{"id":${JSON.stringify(fields.id)},"object":"response","created_at":${fields.createdAt},"status":"${fields.status}",` +
    `"background":false,"error":${fields.error},"incomplete_details":${fields.incomplete},"instructions":null,` +
    `"model":${JSON.stringify(fields.model)},"output":${fields.output},"parallel_tool_calls":${fields.parallelToolCalls},` +
    `"previous_response_id":null,"tool_choice":"auto","tools":[],"usage":${fields.usage},"metadata":{}}`
  );
}
