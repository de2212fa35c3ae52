import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUpstreamStreamReader, WireProtocol } from '@switchyard/protocols';
import { reply, Reply } from '../fakes/fake-upstream';
import { fixtureBytes } from '../fakes/fixtures';
import { registerUpstreams, stopUpstreams, UpstreamName, Upstreams } from '../fakes/upstream-kinds';
import { TestSystem } from '../support/system';

type Json = Record<string, unknown>;

/**
 * The real Codex CLI (`@openai/codex`, `codex exec`) with a `[model_providers.*]` entry whose
 * base_url is the gateway (`wire_api = "responses"`), against an OpenAI, an OpenAI-compatible
 * (DeepSeek), an Anthropic and a Gemini upstream. Each run is a full agent turn: the model asks for a tool
 * (`exec_command`), Codex answers with its output, the model replies with text, Codex prints it.
 */

function codexEntry(): string {
  try {
    return require.resolve('@openai/codex/bin/codex.js');
  } catch {
    throw new Error(
      '@openai/codex is not installed: it is a devDependency of this repository (npm ci installs it)',
    );
  }
}

interface CodexRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCodex(gatewayUrl: string, key: string, model: string, prompt: string): Promise<CodexRun> {
  const home = mkdtempSync(join(tmpdir(), 'sy-codex-home-'));
  const work = mkdtempSync(join(tmpdir(), 'sy-codex-work-'));
  writeFileSync(
    join(home, 'config.toml'),
    [
      `model = "${model}"`,
      'model_provider = "switchyard"',
      '',
      '[model_providers.switchyard]',
      'name = "Switchyard"',
      `base_url = "${gatewayUrl}/v1"`,
      'env_key = "SWITCHYARD_API_KEY"',
      'wire_api = "responses"',
      '',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [codexEntry(), 'exec', '--skip-git-repo-check', prompt], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CODEX_HOME: home,
        SWITCHYARD_API_KEY: key,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The text a recorded stream carries, as the protocol library reads it. */
function textOf(wire: WireProtocol, file: string): string {
  const reader = createUpstreamStreamReader(wire);
  return [...reader.push(fixtureBytes(file)), ...reader.end()]
    .map((event) => (event.type === 'text_delta' ? event.text : ''))
    .join('');
}

/** A recorded tool-call stream with its tool renamed to Codex's shell tool. */
function asExecCommand(file: string, name: string): Reply {
  return {
    kind: 'sse',
    body: Buffer.from(fixtureBytes(file).toString('utf8').split(`"${name}"`).join('"exec_command"')),
  };
}

describe('Codex CLI (codex exec, wire_api = "responses") through the gateway', () => {
  let system: TestSystem;
  let upstreams: Upstreams;
  let key: string;

  beforeAll(async () => {
    codexEntry();
    system = await TestSystem.start();
    // Codex declares OpenAI's hosted web_search; other upstreams cannot run it, so the operator lets it drop.
    upstreams = await registerUpstreams(system, ['openai', 'deepseek', 'anthropic', 'gemini'], {
      droppableParams: ['tools.web_search'],
    });
    ({ key } = await system.adminClient.tenantWithKey());
  });

  afterAll(async () => {
    await system?.stop();
    await stopUpstreams(upstreams);
  });

  const cases: Array<[UpstreamName, Reply, Reply, string]> = [
    [
      'openai',
      asExecCommand('responses-stream-function-call.sse', 'get_weather'),
      reply.sse('responses-stream-text.sse'),
      textOf('openai-responses', 'responses-stream-text.sse'),
    ],
    [
      'deepseek',
      asExecCommand('deepseek-stream-tool-call.sse', 'weather'),
      reply.sse('openai-chat-stream-text-2026.sse'),
      textOf('openai-chat', 'openai-chat-stream-text-2026.sse'),
    ],
    [
      'anthropic',
      asExecCommand('anthropic-messages-stream-tools.sse', 'get_weather'),
      reply.sse('anthropic-messages-stream-text.sse'),
      textOf('anthropic-messages', 'anthropic-messages-stream-text.sse'),
    ],
    [
      'gemini',
      asExecCommand('gemini-stream-tool-call.sse', 'weather'),
      reply.sse('gemini-stream-text.sse'),
      textOf('gemini', 'gemini-stream-text.sse'),
    ],
  ];

  it.each(cases)(
    'runs a tool turn against a %s upstream and prints the answer',
    async (name, toolCall, text, expectedText) => {
      const upstream = upstreams[name];
      upstream.fake.requests.length = 0;
      upstream.fake.serve(toolCall, text);
      const run = await runCodex(
        system.gatewayUrl,
        key,
        upstream.model,
        'What is the weather? Use a tool first.',
      );
      if (run.code !== 0) throw new Error(`codex exited ${String(run.code)}:\n${run.stderr.slice(-3000)}`);

      // Two turns reached the upstream, in its own wire: the request, then the tool's output.
      expect(upstream.fake.requests).toHaveLength(2);
      const [first, second] = upstream.fake.requests.map((request) => JSON.parse(request.body) as Json);
      if (name === 'gemini')
        expect(upstream.fake.requests[0].path).toContain(
          `/models/${upstream.upstreamModel}:streamGenerateContent`,
        );
      else expect(first.model).toBe(upstream.upstreamModel);
      expect(JSON.stringify(first)).toContain('exec_command');
      const secondText = JSON.stringify(second);
      if (name === 'openai') expect(secondText).toContain('"type":"function_call_output"');
      if (name === 'deepseek') expect(secondText).toContain('"role":"tool"');
      if (name === 'anthropic') expect(secondText).toContain('"type":"tool_result"');
      if (name === 'gemini') expect(secondText).toContain('"functionResponse"');

      expect(expectedText.length).toBeGreaterThan(0);
      expect(run.stdout.trim()).toBe(expectedText.trim());

      // Both turns metered, each once, from the upstream's own usage.
      const rows = await system.eventually(async () => {
        const found = await system.db.query<{
          model: string;
          usage_estimated: boolean;
          outcome: string;
          protocol: string;
        }>('SELECT model, usage_estimated, outcome, protocol FROM usage_events WHERE model = $1', [
          upstream.model,
        ]);
        return found.length >= 2 ? found : null;
      });
      expect(rows).toEqual([
        { model: upstream.model, usage_estimated: false, outcome: 'success', protocol: 'openai.responses' },
        { model: upstream.model, usage_estimated: false, outcome: 'success', protocol: 'openai.responses' },
      ]);
    },
    120_000,
  );
});
