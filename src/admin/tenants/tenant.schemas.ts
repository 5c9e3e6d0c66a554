import { z } from 'zod';
import { isoDate, slug } from '../http/schemas.js';

export const roleSchema = z.enum(['owner', 'admin', 'member', 'viewer']);

export const tenantView = z
  .object({
    slug,
    name: z.string(),
    status: z.enum(['active', 'suspended']),
    plan: z.string(),
    mcpUrl: z.string().meta({ description: "The tenant's default MCP URL, to add to Claude" }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Tenant' });

export const myTenantView = tenantView
  .extend({ role: roleSchema.meta({ description: "The caller's role in this tenant" }) })
  .meta({ id: 'TenantWithRole' });
