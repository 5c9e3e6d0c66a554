/**
 * The subset of Linear's public GraphQL schema (api.linear.app/graphql) that the Linear pack uses: type,
 * field, argument and input names and nullability as Linear publishes them, so the local server validates
 * queries and variables the way Linear would. Fields the pack never selects are left out.
 */
export const LINEAR_SUBSET_SDL = /* GraphQL */ `
  scalar DateTime
  scalar DateTimeOrDuration
  scalar TimelessDate

  enum PaginationOrderBy {
    createdAt
    updatedAt
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Organization {
    id: ID!
    name: String!
    urlKey: String!
  }

  type User {
    id: ID!
    name: String!
    displayName: String!
    email: String!
    active: Boolean!
  }
  type UserConnection {
    nodes: [User!]!
    pageInfo: PageInfo!
  }

  type Team {
    id: ID!
    key: String!
    name: String!
    description: String
    states(
      after: String
      before: String
      filter: WorkflowStateFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): WorkflowStateConnection!
    labels(
      after: String
      before: String
      filter: IssueLabelFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): IssueLabelConnection!
  }
  type TeamConnection {
    nodes: [Team!]!
    pageInfo: PageInfo!
  }

  type WorkflowState {
    id: ID!
    name: String!
    type: String!
    position: Float!
    team: Team
  }
  type WorkflowStateConnection {
    nodes: [WorkflowState!]!
    pageInfo: PageInfo!
  }

  type IssueLabel {
    id: ID!
    name: String!
    team: Team
  }
  type IssueLabelConnection {
    nodes: [IssueLabel!]!
    pageInfo: PageInfo!
  }

  type Project {
    id: ID!
    name: String!
    slugId: String!
    description: String!
    url: String!
    state: String!
    targetDate: TimelessDate
    lead: User
    teams(
      after: String
      before: String
      filter: TeamFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): TeamConnection!
  }
  type ProjectConnection {
    nodes: [Project!]!
    pageInfo: PageInfo!
  }

  type Cycle {
    id: ID!
    number: Float!
    name: String
    startsAt: DateTime!
    endsAt: DateTime!
    isActive: Boolean!
    isFuture: Boolean!
    isPast: Boolean!
    progress: Float!
    team: Team!
  }
  type CycleConnection {
    nodes: [Cycle!]!
    pageInfo: PageInfo!
  }

  type Comment {
    id: ID!
    body: String!
    createdAt: DateTime!
    url: String!
    user: User
  }
  type CommentConnection {
    nodes: [Comment!]!
    pageInfo: PageInfo!
  }

  type Issue {
    id: ID!
    identifier: String!
    title: String!
    description: String
    url: String!
    priority: Float!
    priorityLabel: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    completedAt: DateTime
    canceledAt: DateTime
    state: WorkflowState!
    assignee: User
    creator: User
    labels(
      after: String
      before: String
      filter: IssueLabelFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): IssueLabelConnection!
    project: Project
    team: Team!
    cycle: Cycle
    comments(
      after: String
      before: String
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): CommentConnection!
  }
  type IssueConnection {
    nodes: [Issue!]!
    pageInfo: PageInfo!
  }

  type IssuePayload {
    lastSyncId: Float!
    success: Boolean!
    issue: Issue
  }
  type CommentPayload {
    lastSyncId: Float!
    success: Boolean!
    comment: Comment!
  }
  type IssueArchivePayload {
    lastSyncId: Float!
    success: Boolean!
  }

  input StringComparator {
    contains: String
    containsIgnoreCase: String
    endsWith: String
    eq: String
    eqIgnoreCase: String
    in: [String!]
    neq: String
    neqIgnoreCase: String
    nin: [String!]
    notContains: String
    startsWith: String
  }
  input IDComparator {
    eq: ID
    in: [ID!]
    neq: ID
    nin: [ID!]
  }
  input BooleanComparator {
    eq: Boolean
    neq: Boolean
  }
  input DateComparator {
    eq: DateTimeOrDuration
    gt: DateTimeOrDuration
    gte: DateTimeOrDuration
    lt: DateTimeOrDuration
    lte: DateTimeOrDuration
  }
  input NullableDateComparator {
    eq: DateTimeOrDuration
    gt: DateTimeOrDuration
    gte: DateTimeOrDuration
    lt: DateTimeOrDuration
    lte: DateTimeOrDuration
    null: Boolean
  }
  input ContentComparator {
    contains: String
    notContains: String
  }
  input UserFilter {
    and: [UserFilter!]
    or: [UserFilter!]
    id: IDComparator
    name: StringComparator
    displayName: StringComparator
    email: StringComparator
    isMe: BooleanComparator
    active: BooleanComparator
  }
  input NullableUserFilter {
    and: [NullableUserFilter!]
    or: [NullableUserFilter!]
    id: IDComparator
    name: StringComparator
    displayName: StringComparator
    email: StringComparator
    isMe: BooleanComparator
    null: Boolean
  }
  input TeamFilter {
    and: [TeamFilter!]
    or: [TeamFilter!]
    id: IDComparator
    key: StringComparator
    name: StringComparator
  }
  input NullableTeamFilter {
    and: [NullableTeamFilter!]
    or: [NullableTeamFilter!]
    id: IDComparator
    key: StringComparator
    name: StringComparator
    null: Boolean
  }
  input WorkflowStateFilter {
    and: [WorkflowStateFilter!]
    or: [WorkflowStateFilter!]
    id: IDComparator
    name: StringComparator
    type: StringComparator
    team: TeamFilter
  }
  input IssueLabelFilter {
    and: [IssueLabelFilter!]
    or: [IssueLabelFilter!]
    id: IDComparator
    name: StringComparator
    team: NullableTeamFilter
  }
  input IssueLabelCollectionFilter {
    and: [IssueLabelCollectionFilter!]
    or: [IssueLabelCollectionFilter!]
    every: IssueLabelFilter
    some: IssueLabelFilter
    name: StringComparator
  }
  input ProjectFilter {
    and: [ProjectFilter!]
    or: [ProjectFilter!]
    name: StringComparator
    slugId: StringComparator
    state: StringComparator
  }
  input NullableProjectFilter {
    and: [NullableProjectFilter!]
    or: [NullableProjectFilter!]
    name: StringComparator
    slugId: StringComparator
    null: Boolean
  }
  input CycleFilter {
    and: [CycleFilter!]
    or: [CycleFilter!]
    id: IDComparator
    isActive: BooleanComparator
    isFuture: BooleanComparator
    isPast: BooleanComparator
    team: TeamFilter
  }
  input IssueFilter {
    and: [IssueFilter!]
    or: [IssueFilter!]
    id: IDComparator
    title: StringComparator
    searchableContent: ContentComparator
    assignee: NullableUserFilter
    creator: NullableUserFilter
    state: WorkflowStateFilter
    labels: IssueLabelCollectionFilter
    project: NullableProjectFilter
    team: TeamFilter
    createdAt: DateComparator
    updatedAt: DateComparator
    completedAt: NullableDateComparator
    canceledAt: NullableDateComparator
  }

  input IssueCreateInput {
    assigneeId: String
    cycleId: String
    description: String
    labelIds: [String!]
    parentId: String
    priority: Int
    projectId: String
    stateId: String
    teamId: String!
    title: String
  }
  input IssueUpdateInput {
    addedLabelIds: [String!]
    assigneeId: String
    cycleId: String
    description: String
    labelIds: [String!]
    priority: Int
    projectId: String
    removedLabelIds: [String!]
    stateId: String
    teamId: String
    title: String
  }
  input CommentCreateInput {
    body: String
    issueId: String
    parentId: String
  }

  type Query {
    viewer: User!
    organization: Organization!
    issue(id: String!): Issue!
    issues(
      after: String
      before: String
      filter: IssueFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): IssueConnection!
    teams(
      after: String
      before: String
      filter: TeamFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): TeamConnection!
    workflowStates(
      after: String
      before: String
      filter: WorkflowStateFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): WorkflowStateConnection!
    issueLabels(
      after: String
      before: String
      filter: IssueLabelFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): IssueLabelConnection!
    users(
      after: String
      before: String
      filter: UserFilter
      first: Int
      includeArchived: Boolean
      includeDisabled: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): UserConnection!
    projects(
      after: String
      before: String
      filter: ProjectFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): ProjectConnection!
    cycles(
      after: String
      before: String
      filter: CycleFilter
      first: Int
      includeArchived: Boolean
      last: Int
      orderBy: PaginationOrderBy
    ): CycleConnection!
  }

  type Mutation {
    issueCreate(input: IssueCreateInput!): IssuePayload!
    issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
    commentCreate(input: CommentCreateInput!): CommentPayload!
    issueArchive(id: String!, trash: Boolean): IssueArchivePayload!
  }
`;
