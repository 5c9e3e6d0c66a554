import type { IssueComment, IssueDetail, IssueSummary, Page, TrackerProject } from '../core/model.js';

/** One line per issue: what a person scanning a list wants to see. */
export function issueLine(issue: IssueSummary): string {
  const facts = [
    issue.assignee ? `assignee ${issue.assignee.name}` : 'unassigned',
    issue.priority ? `priority ${issue.priority}` : null,
    issue.labels.length > 0 ? `labels ${issue.labels.join(', ')}` : null,
    issue.project ? `in ${issue.project}` : null,
    issue.cycle ? `cycle ${issue.cycle}` : null,
    `updated ${issue.updatedAt.slice(0, 10)}`,
  ].filter((f): f is string => f !== null);
  return `- ${issue.key} [${issue.state}] ${issue.title} — ${facts.join('; ')}`;
}

export function pageFooter(page: Page<unknown>, shown: number): string {
  const total = page.total !== null ? ` of ${page.total}` : '';
  return page.nextCursor !== null
    ? `Showing ${shown}${total}; more available: pass cursor "${page.nextCursor}" to continue.`
    : `${shown}${total} shown; that is all.`;
}

export function renderIssuePage(page: Page<IssueSummary>, what: string): string {
  if (page.items.length === 0) return `No ${what} found.`;
  const noun = page.items.length === 1 ? what.replace(/\bissues\b/, 'issue') : what;
  return [
    `${page.items.length} ${noun}:`,
    ...page.items.map(issueLine),
    pageFooter(page, page.items.length),
  ].join('\n');
}

function commentBlock(c: IssueComment): string {
  return `— ${c.author ?? 'someone'} at ${c.createdAt.slice(0, 16).replace('T', ' ')}${c.bodyTruncated ? ' (cut)' : ''}:\n${c.body}`;
}

export function renderIssueDetail(issue: IssueDetail): string {
  const lines = [
    `${issue.key}: ${issue.title}`,
    `State: ${issue.state} (${issue.stateCategory}) · Assignee: ${issue.assignee?.name ?? 'none'} · Priority: ${issue.priority ?? 'none'}`,
    `Labels: ${issue.labels.join(', ') || 'none'} · Project: ${issue.project ?? 'none'}${issue.team ? ` · Team: ${issue.team}` : ''}${issue.cycle ? ` · Cycle: ${issue.cycle}` : ''}`,
    `Reporter: ${issue.reporter?.name ?? 'unknown'} · Created ${issue.createdAt.slice(0, 10)} · Updated ${issue.updatedAt.slice(0, 10)}`,
    ...(issue.url ? [`URL: ${issue.url}`] : []),
    '',
    issue.description
      ? `Description${issue.descriptionTruncated ? ' (cut)' : ''}:\n${issue.description}`
      : 'No description.',
  ];
  if (issue.comments.length > 0) {
    lines.push(
      '',
      `Comments (${issue.comments.length}${issue.commentsNextCursor ? ', more available' : ''}):`,
    );
    lines.push(...issue.comments.map(commentBlock));
  } else {
    lines.push('', 'No comments.');
  }
  if (issue.commentsNextCursor)
    lines.push(`More comments: pass comments_cursor "${issue.commentsNextCursor}".`);
  return lines.join('\n');
}

export function renderProjects(page: Page<TrackerProject>, noun: string): string {
  if (page.items.length === 0) return `No ${noun} found.`;
  const line = (p: TrackerProject) => {
    const details = Object.entries(p.details)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    return `- ${p.key ? `${p.key} — ` : ''}${p.name}${details ? ` (${details})` : ''}`;
  };
  return [`${page.items.length} ${noun}:`, ...page.items.map(line), pageFooter(page, page.items.length)].join(
    '\n',
  );
}

/** Plain JSON for structuredContent: the readonly page arrays copied into fresh objects. */
export function issuesPayload(page: Page<IssueSummary>): Record<string, unknown> {
  return {
    issues: page.items.map((i) => ({ ...i, labels: [...i.labels] })),
    nextCursor: page.nextCursor,
    total: page.total,
  };
}
