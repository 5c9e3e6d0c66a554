import type { ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';

/** Every fixture tool only reads: nothing it does changes state anywhere. */
export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const NO_ARGUMENTS = z.object({});
