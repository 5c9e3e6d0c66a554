/**
 * The Jira Cloud contract against a real site. Runs only when JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN
 * are set; JIRA_PROJECT (required) and JIRA_ISSUE_TYPE (default Task) say where issues are created. Created issues are deleted afterwards, or moved to Done when the account may not delete.
 */
import { GuardedHttpClient } from '@switchboard/http-client';
import { createJiraPack, trackerDeps, type JiraConfig } from '@switchboard/projects';

import { jiraContract } from '../integration/integrations/projects/jira.contract.js';
import type { ContractTarget } from '../integration/integrations/projects/support.js';

const siteUrl = process.env.JIRA_BASE_URL;
const email = process.env.JIRA_EMAIL;
const token = process.env.JIRA_API_TOKEN;
if (!siteUrl || !email || !token)
  throw new Error('JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN are required for the live Jira suite');
const project = process.env.JIRA_PROJECT;
if (!project) throw new Error('JIRA_PROJECT (a project key the account may create issues in) is required');
const authorization = `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

jiraContract(
  async (): Promise<ContractTarget<JiraConfig>> => {
    const http = new GuardedHttpClient();
    const base = siteUrl.replace(/\/+$/, '');
    return {
      label: 'Jira Cloud',
      pack: createJiraPack(trackerDeps(http)),
      config: {
        siteUrl: base,
        auth: 'basic',
        defaultIssueType: process.env.JIRA_ISSUE_TYPE ?? 'Task',
        timeoutMs: 30_000,
      },
      secrets: { email, api_token: token },
      badSecrets: { email, api_token: 'ATATT3xFfGF0-not-a-valid-token-0000000000' },
      async cleanup(keys) {
        for (const key of keys) {
          const deleted = await http.request(`${base}/rest/api/3/issue/${key}`, {
            method: 'DELETE',
            headers: { authorization },
          });
          if (deleted.status === 204) continue;
          const transitions = (
            await http.request(`${base}/rest/api/3/issue/${key}/transitions`, {
              headers: { authorization, accept: 'application/json' },
            })
          ).json() as {
            transitions?: { id: string; to?: { statusCategory?: { key?: string } } }[];
          };
          const done = transitions.transitions?.find((t) => t.to?.statusCategory?.key === 'done');
          if (done) {
            await http.request(`${base}/rest/api/3/issue/${key}/transitions`, {
              method: 'POST',
              headers: { authorization, 'content-type': 'application/json' },
              body: JSON.stringify({ transition: { id: done.id } }),
            });
          }
        }
      },
      close: () => http.close(),
    };
  },
  { project, ...(process.env.JIRA_ISSUE_TYPE && { issueType: process.env.JIRA_ISSUE_TYPE }) },
);
