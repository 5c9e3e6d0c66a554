import { describe, expect, it } from '@jest/globals';

import { CrmError, redact, trimMessage } from './crm.errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { clip, htmlToText, textToHtml } from './text.js';

describe('cursor', () => {
  it('passes a vendor cursor through and round-trips an opaque one', () => {
    expect(decodeCursor(undefined)).toEqual({ after: null, skip: 0 });
    expect(encodeCursor({ after: 'AbC-123', skip: 0 })).toMatch(/^c1\./);
    expect(decodeCursor(encodeCursor({ after: 'AbC-123', skip: 7 }))).toEqual({ after: 'AbC-123', skip: 7 });
    expect(decodeCursor('20')).toEqual({ after: '20', skip: 0 });
  });

  it('folds the skip into a numeric offset, so a cut page resumes right after its last record', () => {
    expect(decodeCursor(encodeCursor({ after: '20', skip: 7 }))).toEqual({ after: '27', skip: 0 });
    expect(decodeCursor(encodeCursor({ after: null, skip: 3 }))).toEqual({ after: '3', skip: 0 });
  });

  it.each([
    'c1.bm9wZQ',
    'c1.' + Buffer.from('["a",500]').toString('base64url'),
    'has spaces',
    'x'.repeat(201),
  ])('refuses a cursor it did not issue: %s', (bad) => {
    expect(() => decodeCursor(bad)).toThrow(CrmError);
  });
});

describe('text', () => {
  it('reads HTML note bodies as text', () => {
    expect(
      htmlToText('<p>Hello <b>Carla</b>,</p><p>Budget&nbsp;&amp; legal<br>ok &#39;now&#39; &#x263A;</p>'),
    ).toBe("Hello Carla,\nBudget & legal\nok 'now' ☺");
    expect(htmlToText('&#99999999; &bogus;')).toBe('&#99999999; &bogus;');
  });

  it('writes text as escaped HTML with its line breaks', () => {
    expect(textToHtml('a < b & "c"\nnext')).toBe('a &lt; b &amp; &quot;c&quot;<br>next');
    expect(htmlToText(textToHtml('line 1\nline <2>'))).toBe('line 1\nline <2>');
  });

  it('clips and trims', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
    expect(trimMessage('  a\n\n b  ', 10)).toBe('a b');
  });
});

describe('redact', () => {
  it('replaces every secret value, leaving short strings alone', () => {
    expect(redact('token abcdef123 and abcdef123', ['abcdef123', 'ab', null, undefined])).toBe(
      'token [redacted] and [redacted]',
    );
  });
});
