import type { CallToolResult } from '@modelcontextprotocol/server';
import { toolError, type CallContext, type ConnectionContext } from '@switchboard/integration-kit';
import type * as z from 'zod';

import { CrmError } from '../core/crm.errors.js';
import type { CrmBackend } from '../core/crm.types.js';

/** Opens the connection's CRM for one call (secrets read now, for this call only). */
export type BackendFactory = (
  ctx: ConnectionContext & { readonly signal?: AbortSignal },
) => Promise<CrmBackend>;

export interface CrmToolDeps {
  readonly backend: BackendFactory;
  /** "HubSpot": named in descriptions so the model knows which system it is working in. */
  readonly vendor: string;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Validates a tool's arguments; the host validates them too, but handlers are also called directly. */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    const text = parsed.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length > 0 ? `${issuePath(i.path)}: ${i.message}` : i.message))
      .join('; ');
    throw new CrmError('validation', `Invalid arguments (${text}).`);
  }
  return parsed.data;
}

/**
 * Runs one tool call: a CRM failure becomes a tool error the model can read and act on (and relay, for an
 * admin's action); anything else is a bug, rethrown for the host to report with a correlation id.
 */
export async function toolCall(
  ctx: CallContext,
  tool: string,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    ctx.logger.info('crm tool call failed', {
      tool,
      kind: error.kind,
      ...(error.details.status !== undefined && { status: error.details.status }),
      ...(error.details.correlationId && { correlationId: error.details.correlationId }),
    });
    return toolError(error.message);
  }
}
