import { useEffect, useId, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { useSession, useSessionApi, useTenant } from '../session';
import { Badge } from './ui';

const LAST_TENANT = 'switchboard.lastTenant';

export function rememberTenant(slug: string): void {
  try {
    localStorage.setItem(LAST_TENANT, slug);
  } catch {
    // storage disabled: the first tenant is the default
  }
}

export function lastTenant(): string | null {
  try {
    return localStorage.getItem(LAST_TENANT);
  } catch {
    return null;
  }
}

const TENANT_PAGES: readonly { path: string; label: string }[] = [
  { path: '', label: 'Home' },
  { path: 'endpoints', label: 'Endpoints' },
  { path: 'connections', label: 'Connections' },
  { path: 'members', label: 'Members' },
  { path: 'api-keys', label: 'API keys' },
  { path: 'apps', label: 'Connected apps' },
  { path: 'audit', label: 'Audit log' },
  { path: 'usage', label: 'Usage' },
  { path: 'checker', label: 'Connection checker' },
  { path: 'settings', label: 'Settings' },
];

function TenantSwitcher() {
  const session = useSession();
  const { tenant } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();
  if (session.tenants.length === 0) return null;
  const current = session.tenants.find((t) => t.slug === tenant);
  if (session.tenants.length === 1 && current) {
    return (
      <div className="small">
        <div className="nav-heading">Tenant</div>
        <div className="nav-current">
          <strong>{current.name}</strong>
        </div>
      </div>
    );
  }
  return (
    <div>
      <label className="nav-heading" htmlFor={id}>
        Tenant
      </label>
      <select
        id={id}
        value={current?.slug ?? ''}
        onChange={(e) => {
          const slug = e.target.value;
          if (!slug) return;
          rememberTenant(slug);
          // Same page in the other tenant; a detail page (one endpoint, one connection) goes to its list.
          const rest = tenant ? (location.pathname.split(`/t/${tenant}`)[1] ?? '') : '';
          const section = rest.split('/').filter(Boolean)[0] ?? '';
          navigate(`/t/${slug}${section ? `/${section}` : ''}`);
        }}
      >
        {current ? null : <option value="">Choose a tenant…</option>}
        {session.tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name} ({t.role}){t.status === 'suspended' ? ' — suspended' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * After a navigation inside the app, focus moves to the new page's content so screen readers announce
 * it and keyboard users continue from there (a full page load starts at the top anyway).
 */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    main.current?.focus();
  }, [pathname]);
  return main;
}

export function Layout() {
  const session = useSession();
  const { signOut } = useSessionApi();
  const tenant = useTenant();
  const navigate = useNavigate();
  const main = useFocusOnNavigate();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <NavLink className="brand" to="/">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" />
          Switchboard
        </NavLink>
        <TenantSwitcher />
        {tenant ? (
          <nav className="nav" aria-label={`${tenant.name} pages`}>
            {TENANT_PAGES.map((p) => (
              <NavLink key={p.path} to={`/t/${tenant.slug}${p.path ? `/${p.path}` : ''}`} end={p.path === ''}>
                {p.label}
              </NavLink>
            ))}
          </nav>
        ) : null}
        {session.platformRole === 'operator' ? (
          <nav className="nav" aria-label="Platform">
            <div className="nav-heading">Platform</div>
            <NavLink to="/platform/tenants">All tenants</NavLink>
          </nav>
        ) : null}
        <div className="sidebar-footer">
          <span>
            Signed in as <strong>{session.user.email}</strong>
          </span>
          {tenant ? (
            <span>
              Role: <Badge tone="info">{tenant.role}</Badge>
            </span>
          ) : null}
          <button
            type="button"
            onClick={async () => {
              await signOut();
              navigate('/sign-in');
            }}
          >
            Sign out
          </button>
        </div>
      </aside>
      <main className="main" id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </div>
  );
}
