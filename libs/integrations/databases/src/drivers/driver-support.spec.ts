import { describe, expect, it } from '@jest/globals';

import { DatabaseToolError } from '../database.errors.js';
import { cappedText, tlsOptions } from './driver-support.js';

describe('tlsOptions', () => {
  it('maps the three modes', () => {
    expect(tlsOptions({ mode: 'disable' }, 'db.example.com', null)).toBe(false);
    expect(tlsOptions({ mode: 'require' }, 'db.example.com', null)).toEqual({
      rejectUnauthorized: false,
      servername: 'db.example.com',
    });
    expect(tlsOptions({ mode: 'verify-full', ca: 'PEM-CA' }, 'db.example.com', null)).toEqual({
      rejectUnauthorized: true,
      ca: 'PEM-CA',
      servername: 'db.example.com',
    });
  });

  it('checks the certificate against the configured name, never against an IP used for SNI', () => {
    expect(tlsOptions({ mode: 'verify-full' }, '10.1.2.3', null)).toEqual({ rejectUnauthorized: true });
  });

  it('pairs a client certificate with its key from the vault', () => {
    expect(tlsOptions({ mode: 'verify-full', clientCert: 'CERT' }, 'db', 'KEY')).toMatchObject({
      cert: 'CERT',
      key: 'KEY',
    });
    expect(() => tlsOptions({ mode: 'verify-full', clientCert: 'CERT' }, 'db', null)).toThrow(
      DatabaseToolError,
    );
  });
});

describe('cappedText', () => {
  it('cuts long text and says where', () => {
    expect(cappedText('abc', 10)).toBe('abc');
    expect(cappedText('abcdefghij', 4)).toBe('abcd\n… [cut at 4 bytes]');
  });
});
