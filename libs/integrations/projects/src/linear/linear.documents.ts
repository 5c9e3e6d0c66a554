/**
 * The GraphQL documents the Linear pack sends: small selections of Linear's public schema (the SDK's
 * generated documents select every field of every type, which costs complexity budget and round trips).
 */

export const ISSUE_FIELDS = `
fragment IssueFields on Issue {
  id
  identifier
  title
  url
  priority
  priorityLabel
  createdAt
  updatedAt
  state { name type }
  assignee { id name displayName email }
  labels(first: 20) { nodes { name } }
  project { name }
  team { key }
  cycle { number name }
}`;

export const VIEWER = `
query Viewer {
  viewer { id name displayName email }
  organization { name urlKey }
}`;

export const ISSUES = `
query Issues($filter: IssueFilter, $first: Int, $after: String) {
  issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) {
    nodes { ...IssueFields }
    pageInfo { hasNextPage endCursor }
  }
}
${ISSUE_FIELDS}`;

export const ISSUE_DETAIL = `
query IssueDetail($id: String!, $withComments: Boolean!, $commentsFirst: Int, $commentsAfter: String) {
  issue(id: $id) {
    ...IssueFields
    description
    creator { id name displayName email }
    comments(first: $commentsFirst, after: $commentsAfter) @include(if: $withComments) {
      nodes { id body createdAt url user { name displayName } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
${ISSUE_FIELDS}`;

export const ISSUE_CONTEXT = `
query IssueContext($id: String!) {
  issue(id: $id) {
    id
    identifier
    team { id key }
    labels(first: 50) { nodes { id name } }
  }
}`;

export const TEAMS = `
query Teams($filter: TeamFilter, $first: Int, $after: String) {
  teams(filter: $filter, first: $first, after: $after) {
    nodes {
      id
      key
      name
      description
      states(first: 50) { nodes { id name type position } }
      labels(first: 100) { nodes { id name } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const TEAM_IDS = `
query TeamIds($filter: TeamFilter, $first: Int) {
  teams(filter: $filter, first: $first) { nodes { id key name } }
}`;

export const WORKFLOW_STATES = `
query WorkflowStates($filter: WorkflowStateFilter) {
  workflowStates(filter: $filter, first: 100) { nodes { id name type position } }
}`;

export const LABELS = `
query Labels($filter: IssueLabelFilter) {
  issueLabels(filter: $filter, first: 100) { nodes { id name team { id } } }
}`;

export const USERS = `
query Users($filter: UserFilter) {
  users(filter: $filter, first: 10) { nodes { id name displayName email active } }
}`;

export const PROJECTS = `
query Projects($filter: ProjectFilter, $first: Int, $after: String) {
  projects(filter: $filter, first: $first, after: $after, orderBy: updatedAt) {
    nodes {
      id
      name
      slugId
      description
      url
      state
      targetDate
      lead { name }
      teams(first: 5) { nodes { key } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const CYCLES = `
query Cycles($filter: CycleFilter, $first: Int, $after: String) {
  cycles(filter: $filter, first: $first, after: $after) {
    nodes { id number name startsAt endsAt isActive isFuture isPast progress team { key } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const ISSUE_CREATE = `
mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ...IssueFields } }
}
${ISSUE_FIELDS}`;

export const ISSUE_UPDATE = `
mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ...IssueFields } }
}
${ISSUE_FIELDS}`;

export const COMMENT_CREATE = `
mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id body createdAt url user { name displayName } } }
}`;
