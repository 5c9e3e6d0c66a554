import { describe, expect, it } from '@jest/globals';

import type { TlsCertificateInfo } from './check.types.js';
import { evaluateCertificate } from './tls-probe.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const good: TlsCertificateInfo = {
  authorized: true,
  authorizationError: null,
  protocol: 'TLSv1.3',
  subject: 'mcp.example',
  issuer: 'R11',
  subjectAltNames: ['DNS:mcp.example'],
  validFrom: '2026-05-01T00:00:00.000Z',
  validTo: '2026-07-30T00:00:00.000Z',
};

describe('evaluateCertificate', () => {
  it('passes a trusted certificate and says how long it lasts', () => {
    const v = evaluateCertificate(good, 'mcp.example', NOW);
    expect(v.outcome).toBe('pass');
    expect(v.summary).toBe('valid for 59 more days, issued by R11, TLSv1.3');
    expect(v.data).toMatchObject({ daysLeft: 59, protocol: 'TLSv1.3' });
  });

  it('warns two weeks before expiry', () => {
    const v = evaluateCertificate({ ...good, validTo: '2026-06-10T00:00:00.000Z' }, 'mcp.example', NOW);
    expect(v.outcome).toBe('warn');
    expect(v.summary).toMatch(/expires in 9 day\(s\)/);
    expect(v.hint).toMatch(/Renew/);
  });

  it('fails untrusted certificates with a hint for the specific problem', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['CERT_HAS_EXPIRED', /has expired/, /Renew/],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/, /public CA/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /intermediate certificate missing/, /full chain/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /does not name this host/, /subjectAltName/],
      ['SOMETHING_NEW', /not trusted \(SOMETHING_NEW\)/, /public CA/],
    ];
    for (const [code, summary, hint] of cases) {
      const v = evaluateCertificate(
        { ...good, authorized: false, authorizationError: code },
        'mcp.example',
        NOW,
      );
      expect(v.outcome).toBe('fail');
      expect(v.summary).toMatch(summary);
      expect(v.hint).toMatch(hint);
    }
  });

  it('warns about old protocol versions', () => {
    expect(evaluateCertificate({ ...good, protocol: 'TLSv1.1' }, 'mcp.example', NOW).outcome).toBe('warn');
  });
});
