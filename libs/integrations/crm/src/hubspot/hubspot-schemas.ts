import * as z from 'zod';

/**
 * The shapes of HubSpot answers the pack relies on, checked after the SDK has deserialized them. A value
 * HubSpot documents as a string may arrive as a number or boolean from a proxy; it is read as text.
 */
const scalar = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.undefined()])
  .transform((v) => (v === null || v === undefined ? null : String(v)));

const when = z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date');

export const objectSchema = z.object({
  id: z.string().min(1).max(64),
  properties: z.record(z.string(), scalar),
  createdAt: when.optional(),
  updatedAt: when.optional(),
  associations: z
    .record(
      z.string(),
      z.object({
        results: z.array(z.object({ id: z.string().min(1), type: z.string().optional() })),
        paging: z.object({ next: z.object({ after: z.string() }).optional() }).nullish(),
      }),
    )
    .nullish(),
});
export type RawHubSpotObject = z.output<typeof objectSchema>;

export const searchSchema = z.object({
  total: z.number().int().min(0),
  results: z.array(objectSchema),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).nullish(),
});

export const batchSchema = z.object({ results: z.array(objectSchema) });

export const pageSchema = z.object({ results: z.array(objectSchema) });

export const ownerSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
});
export const ownersSchema = z.object({ results: z.array(ownerSchema) });

export const propertiesSchema = z.object({
  results: z.array(
    z.object({
      name: z.string().min(1),
      label: z.string(),
      type: z.string(),
      fieldType: z.string().nullish(),
      description: z.string().nullish(),
      groupName: z.string().nullish(),
      hubspotDefined: z.boolean().nullish(),
      hidden: z.boolean().nullish(),
      calculated: z.boolean().nullish(),
      modificationMetadata: z.object({ readOnlyValue: z.boolean().nullish() }).nullish(),
      options: z.array(z.object({ label: z.string(), value: z.string() })).nullish(),
    }),
  ),
});
