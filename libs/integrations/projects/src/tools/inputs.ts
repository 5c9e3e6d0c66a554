import * as z from 'zod';

import type { VendorProfile } from '../core/tracker.js';

export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 20;

const name = (max: number) => z.string().trim().min(1).max(max);
const cursor = z
  .string()
  .min(1)
  .max(1000)
  .describe('The nextCursor of a previous result, to read the next page.');
const limit = z
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_LIMIT)
  .describe(`How many to return (1–${MAX_LIMIT}, default ${DEFAULT_LIMIT}).`);
const labelList = z.array(name(100)).max(20);

/** An issue reference: a key like ENG-123, PROJ-7, owner/repo#42, or the vendor id. */
export function issueRef(p: VendorProfile) {
  return name(200).describe(`The issue: ${p.issueKeyHelp} Example: "${p.issueKeyExample}".`);
}

export function searchInput(p: VendorProfile) {
  return z
    .object({
      text: name(200)
        .optional()
        .describe('Words to find in titles, descriptions (and comments where supported).'),
      assignee: name(200).optional().describe(p.assigneeHelp),
      state: name(100).optional().describe(p.stateHelp),
      label: name(100).optional().describe(`Only issues with this label. ${p.labelHelp}`),
      project: name(200).optional().describe(p.projectHelp),
      ...(p.hasTeams && { team: name(100).optional().describe('Team key or name, e.g. "ENG".') }),
      limit,
      cursor: cursor.optional(),
    })
    .strict();
}

export function getIssueInput(p: VendorProfile) {
  return z
    .object({
      issue: issueRef(p),
      comments_limit: z
        .number()
        .int()
        .min(0)
        .max(MAX_LIMIT)
        .default(DEFAULT_LIMIT)
        .describe('How many comments to include (0–50, default 20), oldest first.'),
      comments_cursor: cursor
        .optional()
        .describe('commentsNextCursor of a previous get, to read more comments.'),
    })
    .strict();
}

export function createIssueInput(p: VendorProfile) {
  return z
    .object({
      title: name(255).describe('A short summary of the issue.'),
      description: z
        .string()
        .max(20_000)
        .optional()
        .describe(`The body, in ${p.textFormat}: what happened, steps to reproduce, expected vs actual.`),
      project: name(200).optional().describe(p.projectHelp),
      ...(p.hasTeams && {
        team: name(100)
          .optional()
          .describe('Team key or name (required unless the connection has a default team), e.g. "ENG".'),
      }),
      ...(p.hasIssueTypes && {
        issue_type: name(100)
          .optional()
          .describe('Issue type name, e.g. "Bug", "Task", "Story" (the connection default when omitted).'),
      }),
      assignee: name(200).optional().describe(p.assigneeHelp),
      ...(p.priorityHelp !== null && { priority: name(50).optional().describe(p.priorityHelp) }),
      labels: labelList.optional().describe(`Label names to set. ${p.labelHelp}`),
    })
    .strict();
}

export function updateIssueInput(p: VendorProfile) {
  return z
    .object({
      issue: issueRef(p),
      title: name(255).optional(),
      description: z.string().max(20_000).optional().describe(`Replaces the whole body (${p.textFormat}).`),
      state: name(100).optional().describe(`Move the issue to this state. ${p.stateHelp}`),
      assignee: name(200).optional().describe(`${p.assigneeHelp} "none" unassigns.`),
      ...(p.priorityHelp !== null && { priority: name(50).optional().describe(p.priorityHelp) }),
      labels: labelList.optional().describe('Replaces all labels with exactly these.'),
      add_labels: labelList.optional().describe('Labels to add, keeping the others.'),
      remove_labels: labelList.optional().describe('Labels to remove, keeping the others.'),
    })
    .strict()
    .refine(
      (v) => Object.keys(v).some((k) => k !== 'issue'),
      'give at least one field to change (title, description, state, assignee, priority or labels)',
    );
}

export function commentInput(p: VendorProfile) {
  return z
    .object({
      issue: issueRef(p),
      body: z.string().trim().min(1).max(20_000).describe(`The comment, in ${p.textFormat}.`),
    })
    .strict();
}

export function listProjectsInput(p: VendorProfile) {
  return z
    .object({
      query: name(200)
        .optional()
        .describe(`Only projects whose name contains this. Example: "${p.projectExample}".`),
      limit,
      cursor: cursor.optional(),
    })
    .strict();
}

export function myIssuesInput(p: VendorProfile) {
  return z
    .object({
      user: name(200)
        .optional()
        .describe(
          `Whose open issues: omit for the connection's own account; otherwise ${p.assigneeHelp.replace(/^[A-Z]/, (c) => c.toLowerCase())}`,
        ),
      project: name(200).optional().describe(p.projectHelp),
      limit,
      cursor: cursor.optional(),
    })
    .strict();
}

/** Validates arguments (the host validates too, but handlers are also called directly). */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  args: unknown,
): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  return { ok: false, message: `Invalid arguments: ${issues}.` };
}
