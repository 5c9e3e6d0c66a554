/** The database could not be opened or reached; boot must stop. The message never carries a password. */
export class DatabaseConnectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseConnectionError';
  }
}

/** A migration could not be applied or created. */
export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** `PostgreSQL database "app" on db.internal:5432 as user "app"`: enough to find it, nothing secret. */
export function describePostgresUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'PostgreSQL database (unparseable DATABASE_URL)';
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
  const host = u.hostname ? `${u.hostname}${u.port ? `:${u.port}` : ''}` : 'local socket';
  const user = u.username ? ` as user "${decodeURIComponent(u.username)}"` : '';
  return `PostgreSQL database "${database}" on ${host}${user}`;
}

/** Removes the URL's password (raw and decoded) and the URL itself from a message before it is shown. */
export function redactSecrets(message: string, url: string): string {
  let out = message.split(url).join('<DATABASE_URL>');
  try {
    const password = new URL(url).password;
    for (const p of new Set([password, safeDecode(password)])) if (p) out = out.split(p).join('***');
  } catch {
    // Not a URL: nothing more to find.
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
