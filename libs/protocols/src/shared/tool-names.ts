import { JsonObject } from '@switchyard/common';
import { IrTool } from '../ir/ir-request';

export interface ResolvedTool {
  /** The name the client declared. */
  name: string;
  namespace?: string;
  /** A Responses free-form tool (its calls go back to the client as `custom_tool_call`). */
  custom: boolean;
}

const UNSAFE_NAME = /[^a-zA-Z0-9_-]/g;

/**
 * Maps client tool names to the flat names a non-Responses upstream sees, and back. Responses
 * tools may live in namespaces; other wires have one flat list, so a name keeps its plain form
 * unless two namespaces declare it, then it becomes `<namespace>__<name>`.
 */
export class ToolNames {
  private readonly toWire = new Map<string, string>();
  private readonly fromWire = new Map<string, ResolvedTool>();

  constructor(tools: readonly IrTool[]) {
    const seen = new Map<string, number>();
    for (const tool of tools) {
      if (tool.kind === 'hosted') continue;
      seen.set(tool.name, (seen.get(tool.name) ?? 0) + 1);
    }
    for (const tool of tools) {
      if (tool.kind === 'hosted') continue;
      const clash = (seen.get(tool.name) ?? 0) > 1 && tool.namespace !== undefined;
      const wire = clash ? `${tool.namespace}__${tool.name}`.replace(UNSAFE_NAME, '_') : tool.name;
      this.toWire.set(key(tool.name, tool.namespace), wire);
      this.fromWire.set(wire, { name: tool.name, namespace: tool.namespace, custom: tool.kind === 'custom' });
    }
  }

  wireName(name: string, namespace?: string): string {
    return this.toWire.get(key(name, namespace)) ?? name;
  }

  resolve(wireName: string): ResolvedTool {
    return this.fromWire.get(wireName) ?? { name: wireName, custom: false };
  }

  isEmpty(): boolean {
    return this.fromWire.size === 0;
  }
}

const key = (name: string, namespace: string | undefined): string =>
  namespace ? `${namespace}\u0000${name}` : name;

/** The JSON Schema a free-form tool becomes on wires without free-form tools (a fresh copy). */
export function customToolSchema(): JsonObject {
  return {
    type: 'object',
    properties: { input: { type: 'string', description: 'The raw tool input.' } },
    required: ['input'],
    additionalProperties: false,
  };
}

/** `{"input": raw}` for a custom tool call, as the argument JSON of the function it becomes. */
export function customArgsJson(input: string): string {
  return `{"input":${JSON.stringify(input)}}`;
}
