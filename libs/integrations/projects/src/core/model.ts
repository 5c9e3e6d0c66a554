import * as z from 'zod';

/**
 * The one shape every tracker is mapped to. Vendors differ in names (state vs status, cycle vs sprint vs
 * milestone); the model sees the same fields whichever tracker answers.
 */
export const stateCategory = z
  .enum(['open', 'in_progress', 'done', 'canceled', 'unknown'])
  .describe('Normalised workflow category: open (not started), in_progress, done, canceled.');

export const userSchema = z.object({
  id: z.string().describe('Vendor id of the user (Linear id, Jira accountId, GitHub login).'),
  name: z.string(),
  email: z.string().nullable(),
});

export const issueSummarySchema = z.object({
  id: z.string().describe('Stable vendor id.'),
  key: z.string().describe('What people call it: ENG-123 (Linear), PROJ-7 (Jira), owner/repo#42 (GitHub).'),
  title: z.string(),
  url: z.string().nullable(),
  state: z.string().describe("The tracker's own state name."),
  stateCategory,
  assignee: userSchema.nullable(),
  priority: z.string().nullable(),
  labels: z.array(z.string()),
  project: z.string().nullable().describe('Project (Linear/Jira) or repository (GitHub).'),
  team: z.string().nullable(),
  cycle: z.string().nullable().describe('Cycle (Linear), sprint (Jira) or milestone (GitHub).'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const commentSchema = z.object({
  id: z.string(),
  author: z.string().nullable(),
  body: z.string(),
  bodyTruncated: z.boolean(),
  createdAt: z.string(),
  url: z.string().nullable(),
});

export const issueDetailSchema = issueSummarySchema.extend({
  description: z.string().nullable(),
  descriptionTruncated: z.boolean(),
  reporter: userSchema.nullable(),
  comments: z.array(commentSchema).describe('Oldest first.'),
  commentsNextCursor: z
    .string()
    .nullable()
    .describe('Pass as comments_cursor to read the next comments; null when all were returned.'),
});

export const projectSchema = z.object({
  id: z.string(),
  key: z.string().nullable().describe('Short key to pass as `project` (Jira key, GitHub owner/repo).'),
  name: z.string(),
  description: z.string().nullable(),
  url: z.string().nullable(),
  details: z
    .record(z.string(), z.string())
    .describe('Vendor facts worth knowing: state, lead, issue types, teams, visibility.'),
});

export type TrackerUser = z.output<typeof userSchema>;
export type IssueSummary = z.output<typeof issueSummarySchema>;
export type IssueComment = z.output<typeof commentSchema>;
export type IssueDetail = z.output<typeof issueDetailSchema>;
export type TrackerProject = z.output<typeof projectSchema>;
export type StateCategory = z.output<typeof stateCategory>;

/** One page of a list, with the cursor the model passes back for the next one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  /** Total matches when the vendor reports it. */
  readonly total: number | null;
}

/** Text fields are cut to this many characters in results (descriptions, comment bodies). */
export const MAX_TEXT_CHARS = 4_000;

export function cutText(
  text: string | null | undefined,
  max = MAX_TEXT_CHARS,
): { text: string | null; cut: boolean } {
  if (text === null || text === undefined) return { text: null, cut: false };
  return text.length > max ? { text: `${text.slice(0, max)}…`, cut: true } : { text, cut: false };
}
