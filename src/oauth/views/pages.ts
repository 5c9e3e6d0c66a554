import { html, page, type Html } from './html.js';

export interface ClientView {
  readonly id: string;
  readonly name: string;
  readonly uri: string | null;
  readonly kind: 'cimd' | 'dcr';
  readonly redirectHost: string;
}

export interface TargetView {
  readonly tenantName: string;
  readonly tenantSlug: string;
  readonly endpointName: string;
  readonly resource: string;
}

function clientKind(client: ClientView): string {
  return client.kind === 'cimd'
    ? `identified by its metadata document at ${URL.parse(client.id)?.host ?? client.id}`
    : 'registered automatically (dynamic client registration): its name is self-declared';
}

function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}" />`;
}

export function signInPage(input: {
  readonly uid: string;
  readonly csrf: string;
  readonly client: ClientView;
  readonly target: TargetView;
  readonly email: string;
  readonly error: string | null;
  /** The tenant's own identity provider ("Continue with …"), when it has one. */
  readonly sso: { readonly name: string } | null;
}): string {
  const { uid, csrf, client, target, error, sso } = input;
  const errorId = 'signin-error';
  return page(
    'Sign in',
    html`<h1>Sign in to ${target.tenantName}</h1>
      <p><strong>${client.name}</strong> wants to connect to <strong>${target.endpointName}</strong>.</p>
      ${error ? html`<p class="alert" role="alert" id="${errorId}">${error}</p>` : ''}
      <form method="post" action="/interaction/${uid}/login" novalidate>
        ${hidden('csrf', csrf)}
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value="${input.email}"
          ${
            error ? html` aria-describedby="${errorId}" aria-invalid="true"` : ''
          }${input.email ? '' : html` autofocus`}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required${input.email ? html` autofocus` : ''}
        />
        <div class="actions"><button class="primary" type="submit">Sign in</button></div>
      </form>
      ${
        sso
          ? html`<hr />
              <form method="post" action="/interaction/${uid}/sso">
                ${hidden('csrf', csrf)}<button class="secondary" type="submit">
                  Continue with ${sso.name}
                </button>
              </form>`
          : ''
      }
      <hr />
      <form method="post" action="/interaction/${uid}/abort">
        ${hidden('csrf', csrf)}<button class="secondary" type="submit">
          Cancel and return to ${client.name}
        </button>
      </form>`,
  );
}

const SCOPE_TEXT: Record<string, string> = {
  mcp: 'Use the tools, resources and prompts your role allows',
  'mcp:read': 'Use read-only tools, and read resources and prompts',
  'mcp:write': 'Use tools that change data (within your role)',
  'mcp:admin': 'Use administrative tools (within your role)',
  openid: 'Know who you are (your user id)',
  email: 'See your email address',
  profile: 'See your name',
  offline_access: 'Stay connected when you are not using it',
};

export function consentPage(input: {
  readonly uid: string;
  readonly csrf: string;
  readonly client: ClientView;
  readonly target: TargetView;
  readonly accountEmail: string;
  readonly role: string;
  readonly scopes: readonly string[];
}): string {
  const { uid, csrf, client, target } = input;
  return page(
    'Allow access',
    html`<h1>Allow ${client.name} to use ${target.endpointName}?</h1>
      <h2>The application</h2>
      <dl>
        <dt>Name</dt>
        <dd>${client.name}</dd>
        ${
          client.uri
            ? html`<dt>Website</dt>
                <dd>${client.uri}</dd>`
            : ''
        }
        <dt>Client</dt>
        <dd>${client.id}, ${clientKind(client)}</dd>
        <dt>Returns to</dt>
        <dd>${client.redirectHost}</dd>
      </dl>
      <h2>Where</h2>
      <dl>
        <dt>Organisation</dt>
        <dd>${target.tenantName} (${target.tenantSlug})</dd>
        <dt>Endpoint</dt>
        <dd>${target.endpointName}<br />${target.resource}</dd>
        <dt>Signed in as</dt>
        <dd>${input.accountEmail}, ${input.role}</dd>
      </dl>
      <h2>It will be able to</h2>
      <ul class="grants">
        ${input.scopes.map((s) => html`<li>${SCOPE_TEXT[s] ?? s} <span class="note">(${s})</span></li>`)}
      </ul>
      <p class="note">
        Never more than your role (${input.role}) allows. You can revoke this access at any time from your
        connected apps.
      </p>
      <div class="actions">
        <form class="inline" method="post" action="/interaction/${uid}/confirm">
          ${hidden('csrf', csrf)}<button class="primary" type="submit" autofocus>Allow</button>
        </form>
        <form class="inline" method="post" action="/interaction/${uid}/abort">
          ${hidden('csrf', csrf)}<button class="secondary" type="submit">Deny</button>
        </form>
      </div>`,
  );
}

export function errorPage(input: {
  readonly title: string;
  readonly message: string;
  readonly abort?: { readonly uid: string; readonly csrf: string; readonly clientName: string };
}): string {
  return page(
    input.title,
    html`<h1>${input.title}</h1>
      <p class="alert" role="alert">${input.message}</p>
      ${
        input.abort
          ? html`<form method="post" action="/interaction/${input.abort.uid}/abort">
              ${hidden('csrf', input.abort.csrf)}<button class="secondary" type="submit">
                Return to ${input.abort.clientName}
              </button>
            </form>`
          : html`<p>Return to the application and connect again.</p>`
      }`,
  );
}
