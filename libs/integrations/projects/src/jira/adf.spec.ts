import { describe, expect, it } from '@jest/globals';

import { adfToText, textToAdf } from './adf.js';

describe('ADF conversion', () => {
  it('writes paragraphs, line breaks and code fences', () => {
    expect(textToAdf('One\ntwo\n\nThree\n```\nx = 1\n```')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'One' }, { type: 'hardBreak' }, { type: 'text', text: 'two' }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Three' }] },
        { type: 'codeBlock', content: [{ type: 'text', text: 'x = 1' }] },
      ],
    });
    expect(textToAdf('').content).toEqual([{ type: 'paragraph', content: [] }]);
  });

  it('reads text, lists, mentions and links back', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Hi ' },
            { type: 'mention', attrs: { text: '@Mia' } },
          ],
        },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }] },
          ],
        },
        { type: 'paragraph', content: [{ type: 'inlineCard', attrs: { url: 'https://example.com' } }] },
      ],
    };
    expect(adfToText(doc)).toBe('Hi @Mia\n\n- a\n\nhttps://example.com');
    expect(adfToText(null)).toBeNull();
    expect(adfToText('v2 text')).toBe('v2 text');
  });
});
