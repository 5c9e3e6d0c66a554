import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { isFinished, type Job } from '../api/jobs';

/** Follows a background job until it finishes (polling every `intervalMs`). */
export function useJob<P, R>(tenant: string, id: string | null, intervalMs = 1000) {
  return useQuery({
    queryKey: ['tenant', tenant, 'job', id],
    queryFn: () => call<Job<P, R>>('GET', `/api/v1/tenants/${tenant}/jobs/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : intervalMs),
    refetchIntervalInBackground: true,
    staleTime: 0,
  });
}

export function cancelJob(tenant: string, id: string): Promise<unknown> {
  return call('POST', `/api/v1/tenants/${tenant}/jobs/${encodeURIComponent(id)}/cancel`, {});
}
