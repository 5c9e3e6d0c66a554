import { describe, expect, it } from '@jest/globals';
import { renderTemplate, templateVariables } from './prompt-template.js';

describe('prompt templates', () => {
  it('substitutes placeholders once, literally', () => {
    expect(renderTemplate('Hi {{ name }}, about {{topic}}.', { name: '{{topic}}', topic: 'x' })).toBe(
      'Hi {{topic}}, about x.',
    );
  });
  it('renders missing arguments as empty and lists variables once', () => {
    expect(renderTemplate('a{{b}}c', {})).toBe('ac');
    expect(templateVariables('{{a}} {{b}} {{a}}')).toEqual(['a', 'b']);
  });
});
