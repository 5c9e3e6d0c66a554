import type * as Agile from 'jira.js/agile';
import type * as Cloud from 'jira.js/cloud';

/** The jira.js endpoint functions the pack calls (REST v3 and the Agile API). */
export interface JiraApi {
  readonly cloud: typeof Cloud;
  readonly agile: typeof Agile;
}

let loading: Promise<JiraApi> | null = null;

/**
 * jira.js is loaded on a Jira connection's first call, not when the server boots: its REST v3 and Agile
 * modules take about 0.7 s to load (longer through the telemetry loader hook), which every installation
 * would pay at every start whether or not a tenant uses Jira.
 */
export function loadJiraApi(): Promise<JiraApi> {
  loading ??= Promise.all([import('jira.js/cloud'), import('jira.js/agile')]).then(([cloud, agile]) => ({
    cloud,
    agile,
  }));
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
