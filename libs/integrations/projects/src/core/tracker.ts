import type { IssueComment, IssueDetail, IssueSummary, Page, TrackerProject, TrackerUser } from './model.js';

/** Filters of `search_issues` (and of the prompts that read issues), already validated. */
export interface IssueQuery {
  readonly text?: string | undefined;
  /** "me", "none" (unassigned), an email, a name or a login. */
  readonly assignee?: string | undefined;
  /** "open", "closed" or one of the tracker's state names. */
  readonly state?: string | undefined;
  readonly label?: string | undefined;
  readonly project?: string | undefined;
  /** Linear only: team key or name. */
  readonly team?: string | undefined;
  /** Only issues closed (done or canceled) on or after this date (YYYY-MM-DD). */
  readonly closedSince?: string | undefined;
  /** Only issues created on or after this date (YYYY-MM-DD). */
  readonly createdSince?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface CreateIssueInput {
  readonly title: string;
  readonly description?: string | undefined;
  readonly project?: string | undefined;
  readonly team?: string | undefined;
  readonly assignee?: string | undefined;
  readonly priority?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  /** Jira only: Bug, Task, Story… */
  readonly issueType?: string | undefined;
}

export interface UpdateIssueInput {
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly state?: string | undefined;
  /** "none" unassigns. */
  readonly assignee?: string | undefined;
  readonly priority?: string | undefined;
  /** Replaces the whole set. */
  readonly labels?: readonly string[] | undefined;
  readonly addLabels?: readonly string[] | undefined;
  readonly removeLabels?: readonly string[] | undefined;
}

export interface ProjectQuery {
  readonly query?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface IssueDetailOptions {
  readonly commentsLimit: number;
  readonly commentsCursor?: string | undefined;
}

/** Who the connection acts as, plus where (workspace, site, host) — for `test()` and "my issues". */
export interface TrackerIdentity extends TrackerUser {
  readonly workspace: string | null;
}

/**
 * One vendor behind the common shape. A session is built per call (credentials read for that call only)
 * and throws `TrackerError` for anything the user should hear about.
 */
export interface TrackerSession {
  identity(): Promise<TrackerIdentity>;
  searchIssues(query: IssueQuery): Promise<Page<IssueSummary>>;
  getIssue(ref: string, options: IssueDetailOptions): Promise<IssueDetail>;
  createIssue(input: CreateIssueInput): Promise<IssueSummary>;
  updateIssue(ref: string, input: UpdateIssueInput): Promise<IssueSummary>;
  addComment(ref: string, body: string): Promise<IssueComment>;
  listProjects(query: ProjectQuery): Promise<Page<TrackerProject>>;
  /** Names for prompt-argument completion; the default lists projects. */
  suggest?(kind: 'project' | 'team'): Promise<string[]>;
}

/** How a vendor's words fill the shared tool descriptions. */
export interface VendorProfile {
  /** Tool name prefix: `linear`, `jira`, `github`. */
  readonly prefix: string;
  /** "Linear", "Jira", "GitHub". */
  readonly name: string;
  readonly issueKeyExample: string;
  readonly issueKeyHelp: string;
  readonly projectHelp: string;
  readonly projectExample: string;
  readonly stateHelp: string;
  readonly assigneeHelp: string;
  /** Null when the vendor has no priority (GitHub). */
  readonly priorityHelp: string | null;
  readonly labelHelp: string;
  /** Whether issues belong to teams (Linear). */
  readonly hasTeams: boolean;
  /** Whether create takes an issue type (Jira). */
  readonly hasIssueTypes: boolean;
  /** How descriptions and comments are written: "Markdown", "plain text". */
  readonly textFormat: string;
}
