import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { CallToolResult, GetPromptResult, ServerContext } from '@modelcontextprotocol/server';
import type { CallContext, ConnectionTestResult, PackSurface, ToolPack } from '@switchboard/integration-kit';

/** A fault the next matching request(s) get instead of a normal answer (local servers only). */
export interface Fault {
  readonly kind: 'rate_limit' | 'rate_limit_long' | 'unavailable' | 'malformed' | 'not_json';
  /** Only requests whose method+path (or GraphQL text) match. */
  readonly match?: RegExp;
  times: number;
}

export class Faults {
  private readonly queue: Fault[] = [];
  add(fault: Fault): void {
    this.queue.push(fault);
  }
  clear(): void {
    this.queue.length = 0;
  }
  take(subject: string): Fault['kind'] | null {
    const fault = this.queue.find((f) => f.times > 0 && (!f.match || f.match.test(subject)));
    if (!fault) return null;
    fault.times -= 1;
    return fault.kind;
  }
}

export interface LocalServer {
  readonly url: string;
  readonly faults: Faults;
  /** Every request seen, "METHOD path" (GraphQL: "POST /graphql <operation>"). */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

export function runId(): string {
  return randomBytes(4).toString('hex');
}

export function callContext<C>(
  config: C,
  secrets: Record<string, string>,
  connectionName = 'Tracker',
): CallContext<C> {
  const noop = () => undefined;
  return {
    tenant: { id: 'tenant-projects-contract', slug: 'projects-contract' },
    connectionId: `conn-${runId()}`,
    connectionName,
    config,
    secrets: {
      get: async (name) => {
        const value = secrets[name];
        if (value === undefined) throw new Error(`no secret ${name}`);
        return value;
      },
      has: async (name) => secrets[name] !== undefined,
    },
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    principal: {
      kind: 'api_key',
      id: 'k1',
      tenantId: 'tenant-projects-contract',
      userId: null,
      role: 'admin',
      scopes: [],
    },
    signal: new AbortController().signal,
    progress: async () => undefined,
    protocol: {} as ServerContext,
  };
}

export interface ToolCall {
  readonly result: CallToolResult;
  readonly text: string;
  readonly data: Record<string, unknown>;
}

/** Calls a tool and checks its structured result against the tool's own output schema. */
export async function callTool<C>(
  surface: PackSurface<C>,
  name: string,
  args: Record<string, unknown>,
  ctx: CallContext<C>,
): Promise<ToolCall> {
  const tool = surface.tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${surface.tools.map((t) => t.name).join(', ')}`);
  const result = (await tool.handler(args, ctx)) as CallToolResult;
  const first = result.content[0];
  const text = first?.type === 'text' ? first.text : '';
  if (!result.isError && tool.outputSchema) {
    const checked = await tool.outputSchema['~standard'].validate(result.structuredContent);
    if ('issues' in checked && checked.issues) {
      throw new Error(
        `${name} returned structuredContent that does not match its outputSchema: ${JSON.stringify(checked.issues).slice(0, 500)}`,
      );
    }
  }
  return { result, text, data: (result.structuredContent ?? {}) as Record<string, unknown> };
}

export async function getPrompt<C>(
  surface: PackSurface<C>,
  name: string,
  args: Record<string, string>,
  ctx: CallContext<C>,
): Promise<{ result: GetPromptResult; text: string }> {
  const prompt = surface.prompts?.find((p) => p.name === name);
  if (!prompt) throw new Error(`no prompt ${name}`);
  const result = await prompt.get(args, ctx);
  const text = result.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
  return { result, text };
}

/** What a contract suite runs against: the local server or the real vendor. */
export interface ContractTarget<C> {
  readonly label: string;
  readonly pack: ToolPack<C>;
  readonly config: C;
  readonly secrets: Record<string, string>;
  /** Credentials the vendor refuses (a well-formed but revoked/invalid token). */
  readonly badSecrets: Record<string, string>;
  /** Removes (closes/archives) what the suite created. */
  cleanup(createdKeys: readonly string[]): Promise<void>;
  /** Present only for local servers: failure injection and request log. */
  readonly local?: LocalServer;
  close?(): Promise<void>;
}

export type { ConnectionTestResult };

/**
 * Retries a read until it satisfies `ok` (bounded): real vendors index new issues for search a few
 * seconds after creating them. Local servers satisfy it on the first try.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  attempts = 15,
): Promise<T> {
  let value = await read();
  for (let n = 1; n < attempts && !ok(value); n++) {
    await new Promise((r) => setTimeout(r, 2_000));
    value = await read();
  }
  return value;
}
