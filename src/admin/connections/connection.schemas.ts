import { z } from 'zod';
import { isoDate, uuid } from '../http/schemas.js';

export const secretStatus = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    required: z.boolean(),
    set: z.boolean(),
    version: z.number().int().nullable().meta({ description: 'Goes up by one at every rotation' }),
    createdAt: isoDate.nullable(),
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'SecretStatus', description: 'A secret as every answer shows it: never its value' });

export const connectionView = z
  .object({
    id: uuid,
    name: z.string(),
    packId: z.string(),
    packTitle: z.string().nullable(),
    enabled: z.boolean(),
    config: z.unknown().meta({ description: "Non-secret configuration, valid for the pack's configSchema" }),
    secrets: z.array(secretStatus),
    missingSecrets: z.array(z.string()).meta({ description: 'Required secrets not set yet' }),
    endpoints: z.array(z.string()).meta({ description: 'Slugs of the endpoints exposing it' }),
    testable: z.boolean().meta({ description: 'Whether POST …/test can prove it works' }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Connection' });

export const connectionTest = z
  .object({
    supported: z.boolean().meta({ description: 'false: the integration has no connection test' }),
    ok: z.boolean(),
    message: z.string().meta({ description: 'One sentence for the admin' }),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    durationMs: z.number().int(),
  })
  .meta({ id: 'ConnectionTestResult' });

export const connectionName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => ![...v].some((ch) => ch.charCodeAt(0) < 0x20), 'no control characters');

export const secretName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, '1–128 letters, digits, "_", "." or "-"');
