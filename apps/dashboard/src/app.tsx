import { lazy, Suspense, useEffect } from 'react';
import { Link, Navigate, Outlet, Route, Routes } from 'react-router';
import { Layout, lastTenant, rememberTenant } from './components/layout';
import { Badge, Loading, PageHeader, Panel } from './components/ui';
import { HomePage } from './pages/home';
import { InvitePage } from './pages/invite';
import { SignInPage } from './pages/sign-in';
import { RequireSession, useSession, useTenant } from './session';

// Pages load when first opened: the sign-in page and the home page come with the first download.
const ApiKeysPage = lazy(() => import('./pages/api-keys').then((m) => ({ default: m.ApiKeysPage })));
const AppsPage = lazy(() => import('./pages/apps').then((m) => ({ default: m.AppsPage })));
const AuditPage = lazy(() => import('./pages/audit').then((m) => ({ default: m.AuditPage })));
const CheckerPage = lazy(() => import('./pages/checker').then((m) => ({ default: m.CheckerPage })));
const ConnectionPage = lazy(() => import('./pages/connection').then((m) => ({ default: m.ConnectionPage })));
const ConnectionsPage = lazy(() =>
  import('./pages/connections').then((m) => ({ default: m.ConnectionsPage })),
);
const EndpointPage = lazy(() => import('./pages/endpoint').then((m) => ({ default: m.EndpointPage })));
const EndpointsPage = lazy(() => import('./pages/endpoints').then((m) => ({ default: m.EndpointsPage })));
const MembersPage = lazy(() => import('./pages/members').then((m) => ({ default: m.MembersPage })));
const PlatformTenantsPage = lazy(() =>
  import('./pages/platform').then((m) => ({ default: m.PlatformTenantsPage })),
);
const SettingsPage = lazy(() => import('./pages/settings').then((m) => ({ default: m.SettingsPage })));
const UsagePage = lazy(() => import('./pages/usage').then((m) => ({ default: m.UsagePage })));

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/invite" element={<InvitePage />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<Start />} />
        <Route path="/t/:tenant" element={<TenantGate />}>
          <Route index element={<HomePage />} />
          <Route path="endpoints" element={<EndpointsPage />} />
          <Route path="endpoints/:endpoint" element={<EndpointPage />} />
          <Route path="connections" element={<ConnectionsPage />} />
          <Route path="connections/:connection" element={<ConnectionPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
          <Route path="apps" element={<AppsPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="usage" element={<UsagePage />} />
          <Route path="checker" element={<CheckerPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
        <Route
          path="/platform/tenants"
          element={
            <Suspense fallback={<Loading />}>
              <PlatformTenantsPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** /admin/: the tenant used last, else the first one, else the operator's view. */
function Start() {
  const session = useSession();
  const last = lastTenant();
  const target = session.tenants.find((t) => t.slug === last) ?? session.tenants[0];
  if (target) return <Navigate to={`/t/${target.slug}`} replace />;
  if (session.platformRole === 'operator') return <Navigate to="/platform/tenants" replace />;
  return (
    <>
      <PageHeader title="Welcome" />
      <Panel>
        <p>
          You are not a member of any tenant yet. Ask an admin of your company&apos;s tenant to invite you.
        </p>
      </Panel>
    </>
  );
}

function TenantGate() {
  const tenant = useTenant();
  const slug = tenant?.slug;
  useEffect(() => {
    if (slug) rememberTenant(slug);
  }, [slug]);
  if (!tenant) {
    return (
      <>
        <PageHeader title="Tenant not found" />
        <Panel>
          <p>This tenant does not exist or you are not one of its members.</p>
          <Link to="/">Go to your tenants</Link>
        </Panel>
      </>
    );
  }
  return (
    <>
      {tenant.status === 'suspended' ? (
        <div className="notice warn" role="status">
          <Badge tone="warn">Suspended</Badge> This tenant is suspended: its MCP URLs refuse every request and
          nothing can be changed until a platform operator reactivates it.
        </div>
      ) : null}
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Panel>
        <p>There is no page at this address.</p>
        <Link to="/">Go to the dashboard</Link>
      </Panel>
    </>
  );
}
