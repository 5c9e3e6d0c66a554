import { z } from 'zod';

/** Tenant and endpoint slugs appear in URLs: lowercase letters, digits and inner dashes, 2–40 characters. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/,
    'use 2–40 lowercase letters, digits or dashes, not starting or ending with a dash',
  );

/** Slugs that would collide with routes or confuse users. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'e',
  'mcp',
  'oauth',
  'health',
  'metrics',
  'static',
  'well-known',
]);
