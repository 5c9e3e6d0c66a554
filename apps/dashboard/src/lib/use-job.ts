import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { isFinished } from '../api/jobs';

/** Follows a background job until it finishes (polling every `intervalMs`). */
export function useJob(tenant: string, jobId: string | null, intervalMs = 1000) {
  return useQuery({
    queryKey: ['tenant', tenant, 'job', jobId],
    queryFn: () =>
      ok(api.GET('/api/v1/tenants/{tenant}/jobs/{jobId}', { params: { path: { tenant, jobId: jobId! } } })),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : intervalMs),
    refetchIntervalInBackground: true,
    staleTime: 0,
  });
}

export function cancelJob(tenant: string, jobId: string): Promise<unknown> {
  return ok(
    api.POST('/api/v1/tenants/{tenant}/jobs/{jobId}/cancel', { params: { path: { tenant, jobId } } }),
  );
}
