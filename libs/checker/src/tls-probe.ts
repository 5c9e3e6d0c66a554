import { isIP } from 'node:net';
import { connect, type PeerCertificate } from 'node:tls';

import type { TlsCertificateInfo, TlsInspector } from './check.types.js';
import { verdict, type StepVerdict } from './recorder.js';

/** Warn when a certificate expires sooner than this. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function name(fields: PeerCertificate['subject'] | undefined): string | null {
  if (!fields) return null;
  const cn = fields.CN;
  const o = fields.O;
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return pick(cn) ?? pick(o) ?? null;
}

export interface TlsInspectorOptions {
  /**
   * Resolves the host to the address to connect to. The server passes its egress policy here so that the
   * inspection reaches only what the policy allows (the URL is user input). Default: the system resolver.
   */
  readonly resolve?: (host: string) => Promise<string>;
}

/**
 * Opens a TLS connection without rejecting the certificate, so that an invalid one can be described
 * rather than only refused. Nothing is sent over the connection.
 */
export function createTlsInspector(options: TlsInspectorOptions = {}): TlsInspector {
  return async (host, port, { timeoutMs, signal }) => {
    const bare = host.replace(/^\[|\]$/g, '');
    const address = isIP(bare) === 0 && options.resolve ? await options.resolve(bare) : bare;
    return handshake(bare, address, port, timeoutMs, signal);
  };
}

function handshake(host: string, address: string, port: number, timeoutMs: number, signal: AbortSignal) {
  return new Promise<TlsCertificateInfo>((resolve, reject) => {
    const socket = connect({
      host: address,
      port,
      // SNI and the name check use the host name even when connecting to a resolved address.
      ...(isIP(host) === 0 ? { servername: host } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const stop = (error: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        stop(
          Object.assign(new Error(`TLS handshake with ${host}:${port} timed out`), { name: 'TimeoutError' }),
        ),
      timeoutMs,
    );
    const onAbort = () => stop(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', stop);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      const cert = socket.getPeerCertificate();
      const error = socket.authorizationError as unknown;
      const info: TlsCertificateInfo = {
        authorized: socket.authorized,
        authorizationError:
          error === null || error === undefined
            ? null
            : typeof error === 'string'
              ? error
              : ((error as { code?: string }).code ?? String(error)),
        protocol: socket.getProtocol(),
        subject: name(cert.subject),
        issuer: name(cert.issuer),
        subjectAltNames: (cert.subjectaltname ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        validFrom: isoDate(cert.valid_from),
        validTo: isoDate(cert.valid_to),
      };
      socket.end();
      resolve(info);
    });
  });
}

/** The default inspector: system DNS, direct connection. */
export const inspectTlsCertificate: TlsInspector = createTlsInspector();

const ERROR_TEXT: Record<string, { summary: string; hint: string }> = {
  CERT_HAS_EXPIRED: {
    summary: 'the certificate has expired',
    hint: 'Renew the certificate now (and automate renewal, e.g. ACME); Claude refuses expired certificates.',
  },
  CERT_NOT_YET_VALID: {
    summary: 'the certificate is not valid yet',
    hint: "Check the server's clock and the certificate's start date.",
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    summary: 'the certificate is self-signed',
    hint: 'Use a certificate from a public CA; Claude does not trust self-signed certificates.',
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    summary: 'the chain ends in a self-signed certificate that is not a public root',
    hint: 'Use a certificate from a public CA; a private CA is not trusted by Claude.',
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    summary: 'the chain is incomplete (intermediate certificate missing)',
    hint: 'Serve the full chain (leaf + intermediates), e.g. fullchain.pem, not cert.pem.',
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    summary: 'the issuer is not trusted (unknown or private CA, or an intermediate is missing)',
    hint: 'Serve the full chain and use a certificate from a public CA.',
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    summary: 'the certificate does not name this host',
    hint: 'Issue the certificate for this host name (subjectAltName), or use the host name it was issued for.',
  },
};

/** Judges a certificate: invalid fails, expiring soon or an old protocol warns. */
export function evaluateCertificate(info: TlsCertificateInfo, host: string, now: Date): StepVerdict {
  const days = info.validTo ? Math.floor((Date.parse(info.validTo) - now.getTime()) / DAY_MS) : null;
  const details = [
    `subject: ${info.subject ?? '-'}; issuer: ${info.issuer ?? '-'}`,
    `valid ${info.validFrom ?? '?'} → ${info.validTo ?? '?'}`,
    ...(info.subjectAltNames.length > 0 ? [`names: ${info.subjectAltNames.join(', ')}`] : []),
    `protocol: ${info.protocol ?? 'unknown'}`,
  ];
  const data = {
    host,
    protocol: info.protocol,
    subject: info.subject,
    issuer: info.issuer,
    validTo: info.validTo,
    daysLeft: days,
  };
  if (!info.authorized) {
    const code = info.authorizationError ?? 'UNKNOWN';
    const known = ERROR_TEXT[code];
    return verdict.fail(
      `${known?.summary ?? 'the certificate is not trusted'} (${code})`,
      known?.hint ?? 'Use a valid certificate from a public CA that names this host.',
      { details, data },
    );
  }
  if (days !== null && days < 0) {
    return verdict.fail('the certificate has expired', ERROR_TEXT.CERT_HAS_EXPIRED!.hint, { details, data });
  }
  if (info.protocol === 'TLSv1' || info.protocol === 'TLSv1.1') {
    return verdict.warn(
      `the server negotiated ${info.protocol}`,
      'Enable TLS 1.2 and 1.3 and disable older versions.',
      {
        details,
        data,
      },
    );
  }
  if (days !== null && days < EXPIRY_WARNING_DAYS) {
    return verdict.warn(
      `the certificate expires in ${days} day(s), on ${info.validTo}`,
      'Renew it before it expires; automate renewal so it never lapses.',
      { details, data },
    );
  }
  return verdict.pass(
    `valid${days !== null ? ` for ${days} more days` : ''}, issued by ${info.issuer ?? 'unknown'}, ${info.protocol ?? 'TLS'}`,
    { details, data },
  );
}
