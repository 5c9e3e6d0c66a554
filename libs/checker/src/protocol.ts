/**
 * The MCP conversation itself, in both protocol eras, with the official SDK v2 client: the 2025-era
 * initialize (session) and the 2026-07-28 `server/discover`, the three listings and one safe tool call.
 */
import {
  Client,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type RequestOptions,
  type Tool,
} from '@modelcontextprotocol/client';

import type { StepId } from './check.types.js';
import type { CheckContext, Era, EraConnection } from './context.js';
import { verdict, type StepVerdict } from './recorder.js';
import { isModernUnsupported, sdkFailure } from './sdk-errors.js';

export const MODERN_VERSION = '2026-07-28';

export function requestOptions(ctx: CheckContext): RequestOptions {
  return { timeout: ctx.http.timeoutMs, signal: ctx.http.signal };
}

export function transportFor(ctx: CheckContext): StreamableHTTPClientTransport {
  const credential = ctx.state.credential;
  return new StreamableHTTPClientTransport(new URL(ctx.url), {
    fetch: ctx.http.fetch,
    requestInit: credential ? { headers: { Authorization: `Bearer ${credential}` } } : {},
  });
}

async function connect(ctx: CheckContext, era: Era): Promise<EraConnection> {
  const client = new Client(
    ctx.clientInfo,
    era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_VERSION } } } : {},
  );
  const transport = transportFor(ctx);
  try {
    await client.connect(transport, requestOptions(ctx));
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return { era, client, transport, protocolVersion: client.getNegotiatedProtocolVersion() ?? 'unknown' };
}

async function start(ctx: CheckContext, era: Era): Promise<StepVerdict> {
  let conn: EraConnection;
  try {
    conn = await connect(ctx, era);
  } catch (error) {
    if (era === 'modern' && isModernUnsupported(error)) {
      return verdict.warn(
        `the server does not offer protocol ${MODERN_VERSION} (it answered server/discover without it)`,
        `Claude's 2025-era sessions work; offer ${MODERN_VERSION} (stateless, server/discover) to be ready for clients on the new protocol.`,
        { data: { supported: false } },
      );
    }
    return sdkFailure(ctx, error, era === 'modern' ? 'server/discover' : 'initialize');
  }
  ctx.state[era] = conn;
  const server = conn.client.getServerVersion();
  const caps = Object.keys(conn.client.getServerCapabilities() ?? {});
  const serverName = server ? `${server.name} ${server.version}` : 'an unnamed server';
  if (era === 'legacy') {
    const session = conn.transport.sessionId;
    return verdict.pass(
      `${serverName}, protocol ${conn.protocolVersion}, ${session ? 'with a session' : 'stateless (no session id)'}`,
      {
        data: {
          protocolVersion: conn.protocolVersion,
          server: server ? { name: server.name, version: server.version } : null,
          capabilities: caps,
          session: Boolean(session),
        },
      },
    );
  }
  const discovered = conn.client.getDiscoverResult();
  return verdict.pass(`${serverName}, protocol ${conn.protocolVersion}`, {
    data: {
      protocolVersion: conn.protocolVersion,
      supportedVersions: discovered?.supportedVersions ? [...discovered.supportedVersions] : [],
      server: server ? { name: server.name, version: server.version } : null,
      capabilities: caps,
    },
  });
}

type Listing = 'tools' | 'resources' | 'prompts';

async function list(
  ctx: CheckContext,
  conn: EraConnection,
  what: Listing,
): Promise<{ verdict: StepVerdict; tools?: Tool[] }> {
  const caps = conn.client.getServerCapabilities() ?? {};
  const opts = { ...requestOptions(ctx), cacheMode: 'bypass' as const };
  if (!caps[what]) {
    if (what === 'tools') {
      return {
        verdict: verdict.warn(
          'the server declares no tools capability',
          'Claude shows no tools for this connector: expose at least one tool.',
        ),
      };
    }
    return { verdict: verdict.skipped('not-applicable', `the server does not offer ${what}`) };
  }
  try {
    if (what === 'tools') {
      const { tools } = await conn.client.listTools(undefined, opts);
      const readOnly = tools.filter((t) => t.annotations?.readOnlyHint === true).length;
      const data = { count: tools.length, readOnly, names: tools.slice(0, 50).map((t) => t.name) };
      if (tools.length === 0) {
        return {
          verdict: verdict.warn(
            'no tools listed',
            "Claude will show no tools: check the endpoint's tool selection and the user's role.",
            { data },
          ),
          tools,
        };
      }
      return {
        verdict: verdict.pass(`${tools.length} tool(s), ${readOnly} marked read-only`, { data }),
        tools,
      };
    }
    const items =
      what === 'resources'
        ? (await conn.client.listResources(undefined, opts)).resources
        : (await conn.client.listPrompts(undefined, opts)).prompts;
    return {
      verdict: verdict.pass(`${items.length} ${what.replace(/s$/, '')}(s)`, {
        data: { count: items.length, names: items.slice(0, 50).map((i) => i.name) },
      }),
    };
  } catch (error) {
    return { verdict: sdkFailure(ctx, error, `${what}/list`) };
  }
}

/** A tool Claude could call without side effects and without inventing arguments. */
export function pickSafeTool(tools: readonly Tool[]): Tool | undefined {
  return [...tools]
    .filter(
      (t) =>
        t.annotations?.readOnlyHint === true &&
        t.annotations?.destructiveHint !== true &&
        (t.inputSchema.required ?? []).length === 0,
    )
    .sort((a, b) => a.name.localeCompare(b.name))[0];
}

function resultText(result: CallToolResult): string {
  return (result.content ?? [])
    .map((c) => (c.type === 'text' ? c.text : `[${c.type}]`))
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
}

async function callSafeTool(
  ctx: CheckContext,
  conn: EraConnection,
  tools: readonly Tool[] | undefined,
): Promise<StepVerdict> {
  const tool = pickSafeTool(tools ?? []);
  if (!tool) {
    return verdict.skipped(
      'not-applicable',
      'no tool is marked readOnlyHint without required arguments; the checker calls no other tool',
      {
        hint: 'Annotate read-only tools with readOnlyHint: true so clients (and this check) can tell them apart.',
      },
    );
  }
  try {
    const result = (await conn.client.callTool(
      { name: tool.name, arguments: {} },
      requestOptions(ctx),
    )) as CallToolResult;
    const blocks = (result.content ?? []).length;
    const data = { tool: tool.name, isError: result.isError === true, contentBlocks: blocks };
    if (result.isError) {
      // Only the error text is shown: a read-only tool's normal output may be business data.
      return verdict.warn(
        `${tool.name} returned a tool error: ${resultText(result)}`,
        'The tool failed on a call without arguments: check its connection and configuration.',
        {
          data,
        },
      );
    }
    return verdict.pass(`called ${tool.name}: ${blocks} content block(s)`, { data });
  } catch (error) {
    return sdkFailure(ctx, error, `tools/call ${tool.name}`);
  }
}

const ERA_STEPS: Record<
  Era,
  { start: StepId; tools: StepId; resources: StepId; prompts: StepId; call: StepId }
> = {
  legacy: {
    start: 'legacy.initialize',
    tools: 'legacy.tools',
    resources: 'legacy.resources',
    prompts: 'legacy.prompts',
    call: 'legacy.tool-call',
  },
  modern: {
    start: 'modern.discover',
    tools: 'modern.tools',
    resources: 'modern.resources',
    prompts: 'modern.prompts',
    call: 'modern.tool-call',
  },
};

/** Runs one era's steps; `blockedBy` names an earlier step whose failure prevents them. */
export async function runEra(ctx: CheckContext, era: Era, blockedBy: StepId | null): Promise<void> {
  const ids = ERA_STEPS[era];
  const { recorder } = ctx;
  const rest = [ids.tools, ids.resources, ids.prompts, ids.call];
  if (blockedBy) {
    for (const id of [ids.start, ...rest]) recorder.blocked(id, blockedBy);
    return;
  }
  await recorder.run(ids.start, () => start(ctx, era));
  const conn = ctx.state[era];
  if (!conn) {
    const unsupported = recorder.outcome(ids.start) === 'warn';
    for (const id of rest) {
      if (unsupported) recorder.skip(id, 'not-applicable', `the server does not offer ${MODERN_VERSION}`);
      else recorder.blocked(id, ids.start);
    }
    return;
  }
  let tools: Tool[] | undefined;
  await recorder.run(ids.tools, async () => {
    const r = await list(ctx, conn, 'tools');
    tools = r.tools;
    return r.verdict;
  });
  await recorder.run(ids.resources, async () => (await list(ctx, conn, 'resources')).verdict);
  await recorder.run(ids.prompts, async () => (await list(ctx, conn, 'prompts')).verdict);
  if (!recorder.ok(ids.tools)) recorder.blocked(ids.call, ids.tools);
  else await recorder.run(ids.call, () => callSafeTool(ctx, conn, tools));
}
