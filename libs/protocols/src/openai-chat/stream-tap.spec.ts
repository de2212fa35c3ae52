import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseSplitter } from '../sse/sse-splitter';
import { OpenAiChatStreamTap, TapVerdict } from './stream-tap';

const fixture = (name: string): Buffer =>
  readFileSync(join(__dirname, '../../../../test/fixtures/protocols', name));

function run(
  name: string,
  clientWantsUsage: boolean,
  quirks = {},
): { tap: OpenAiChatStreamTap; out: string } {
  const tap = new OpenAiChatStreamTap(clientWantsUsage, quirks);
  const kept = new SseSplitter()
    .push(fixture(name))
    .filter((event) => tap.inspect(event) === TapVerdict.Forward);
  return { tap, out: Buffer.concat(kept).toString('utf8') };
}

describe('OpenAiChatStreamTap', () => {
  it('reads usage from the choices:[] chunk and forwards it when the client asked', () => {
    const { tap, out } = run('openai-chat-stream-text-usage.sse', true);
    expect(tap.usage).toEqual({ input: 14, cachedInput: 0, cacheWrite: 0, output: 30, reasoning: 0 });
    expect(tap.done).toBe(true);
    expect(out).toBe(fixture('openai-chat-stream-text-usage.sse').toString('utf8'));
  });

  it('drops only the usage chunk when the gateway injected include_usage', () => {
    const { tap, out } = run('openai-chat-stream-tools.sse', false);
    expect(tap.usage).not.toBeNull();
    expect(out).not.toContain('"usage"');
    expect(out).toContain('data: [DONE]');
    expect(out).toContain('"finish_reason":"tool_calls"');
  });

  it('reads DeepSeek usage from the finish chunk and keeps that chunk', () => {
    const { tap, out } = run('deepseek-stream-tool-call.sse', false);
    expect(tap.usage).not.toBeNull();
    expect(tap.usage!.input + tap.usage!.cachedInput).toBeGreaterThan(0);
    expect(out).toContain('"finish_reason":"tool_calls"');
  });

  it('adds xAI reasoning to output under the xAI quirk', () => {
    const plain = run('xai-stream-tool-call.sse', true).tap.usage!;
    const quirky = run('xai-stream-tool-call.sse', true, { completionExcludesReasoning: true }).tap.usage!;
    expect(quirky.output).toBe(plain.output + plain.reasoning);
  });
});

describe('OpenAiChatStreamTap error decoding', () => {
  it('keeps the decoded in-band error so a gateway can fail over or report it', () => {
    const tap = new OpenAiChatStreamTap(false);
    tap.inspect(
      Buffer.from(
        'data: {"error":{"message":"overloaded, try later","type":"server_error","code":"overloaded"}}\n\n',
      ),
    );
    expect(tap.errored).toBe(true);
    expect(tap.error).toMatchObject({ type: 'server', message: 'overloaded, try later', code: 'overloaded' });
  });
});
