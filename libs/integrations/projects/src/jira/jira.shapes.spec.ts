import { describe, expect, it } from '@jest/globals';

import { categoryOf, checkIssueRef, jqlString } from './jira.shapes.js';

describe('jira shapes', () => {
  it('accepts only issue keys and ids in request paths', () => {
    expect(checkIssueRef('proj-12')).toBe('PROJ-12');
    expect(checkIssueRef('10001')).toBe('10001');
    for (const bad of ['../myself', 'PROJ-1/comment', 'PROJ 1', ''])
      expect(() => checkIssueRef(bad)).toThrow(/not a Jira issue key/);
  });

  it('quotes JQL literals', () => {
    expect(jqlString('say "hi" \\ there')).toBe('"say \\"hi\\" \\\\ there"');
  });

  it("maps status categories, treating won't-do resolutions as canceled", () => {
    expect(categoryOf('new', undefined)).toBe('open');
    expect(categoryOf('indeterminate', undefined)).toBe('in_progress');
    expect(categoryOf('done', 'Done')).toBe('done');
    expect(categoryOf('done', "Won't Do")).toBe('canceled');
  });
});
