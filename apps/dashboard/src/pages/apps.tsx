import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { useToast } from '../components/toast';
import { Badge, ConfirmButton, EmptyState, PageHeader, Panel, QueryStatus } from '../components/ui';
import { formatDateTime, formatRelative } from '../lib/format';
import { useTenantScope } from '../session';

export function AppsPage() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const list = useQuery({
    queryKey: ['tenant', tenant.slug, 'grants'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/grants', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
  });
  return (
    <>
      <PageHeader
        title="Connected apps"
        description="Apps members allowed to act for them — Claude and other MCP clients. Revoking one signs it out at once."
      />
      <Panel>
        <QueryStatus query={list} />
        {list.data && list.data.items.length === 0 ? (
          <EmptyState>
            No app is connected yet. When someone adds your MCP URL to Claude and approves, it shows here.
          </EmptyState>
        ) : null}
        {list.data && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">App</th>
                  <th scope="col">Member</th>
                  <th scope="col">Access</th>
                  <th scope="col">Connected</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((g) => (
                  <tr key={g.grantId}>
                    <td>
                      <strong>{g.clientName ?? 'Unnamed app'}</strong>{' '}
                      <Badge
                        title={
                          g.clientKind === 'cimd'
                            ? 'Identified by its metadata document'
                            : 'Registered itself'
                        }
                      >
                        {g.clientKind === 'cimd' ? 'verified URL' : 'self-registered'}
                      </Badge>
                      {g.clientId ? <div className="small muted mono">{g.clientId}</div> : null}
                    </td>
                    <td>{g.userEmail ?? '—'}</td>
                    <td className="small">
                      {g.resources.map((r) => (
                        <div key={r.resource}>
                          <span className="mono">{r.resource}</span>{' '}
                          <span className="muted">{r.scopes.join(' ')}</span>
                        </div>
                      ))}
                    </td>
                    <td>{formatDateTime(g.createdAt)}</td>
                    <td>{g.expiresAt ? formatRelative(g.expiresAt) : 'never'}</td>
                    <td>
                      <ConfirmButton
                        label="Revoke"
                        accessibleLabel={`Revoke ${g.clientName ?? 'app'} for ${g.userEmail ?? 'its member'}`}
                        title={`Revoke ${g.clientName ?? 'this app'}?`}
                        message={
                          <p>It loses access at once; the member has to connect it again to use it.</p>
                        }
                        onConfirm={async () => {
                          await ok(
                            api.DELETE('/api/v1/tenants/{tenant}/grants/{grantId}', {
                              params: { path: { tenant: tenant.slug, grantId: g.grantId } },
                            }),
                          );
                          await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'grants'] });
                          toast(`${g.clientName ?? 'App'} revoked`);
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
    </>
  );
}
