import type { CallToolResult } from '@modelcontextprotocol/server';

/** A successful result with both structured content and its text rendering. */
export function structuredResult<T extends Record<string, unknown>>(data: T, text?: string): CallToolResult {
  return {
    content: [{ type: 'text', text: text ?? JSON.stringify(data, null, 2) }],
    structuredContent: data,
  };
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** A tool-level error the model can read and act on (not a protocol error). */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
