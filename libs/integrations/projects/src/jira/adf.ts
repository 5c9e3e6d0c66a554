/**
 * Atlassian Document Format (Jira REST v3 rich text) to and from plain text. Writing: paragraphs split on
 * blank lines, line breaks kept, ``` fences as code blocks. Reading: text with paragraphs, list bullets,
 * code fences, mentions and links kept readable.
 */

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
}

export interface AdfDoc {
  [key: string]: unknown;
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

function paragraph(text: string): AdfNode {
  const lines = text.split('\n');
  const content: AdfNode[] = [];
  lines.forEach((line, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    if (line.length > 0) content.push({ type: 'text', text: line });
  });
  return { type: 'paragraph', content };
}

export function textToAdf(text: string): AdfDoc {
  const content: AdfNode[] = [];
  const parts = text.replace(/\r\n/g, '\n').split(/^```[^\n]*\n?/m);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      const code = part.replace(/\n$/, '');
      content.push({ type: 'codeBlock', content: code ? [{ type: 'text', text: code }] : [] });
      return;
    }
    for (const block of part.split(/\n{2,}/)) {
      const trimmed = block.replace(/^\n+|\n+$/g, '');
      if (trimmed.trim().length > 0) content.push(paragraph(trimmed));
    }
  });
  return {
    type: 'doc',
    version: 1,
    content: content.length > 0 ? content : [{ type: 'paragraph', content: [] }],
  };
}

function inline(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
    case 'status':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard':
    case 'blockCard':
      return String(node.attrs?.url ?? '');
    default:
      return (node.content ?? []).map(inline).join('');
  }
}

function block(node: AdfNode, depth: number): string {
  const children = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return children.map(inline).join('');
    case 'codeBlock':
      return `\`\`\`\n${children.map(inline).join('')}\n\`\`\``;
    case 'bulletList':
    case 'orderedList':
      return children
        .map((item, i) => {
          const marker = node.type === 'orderedList' ? `${i + 1}.` : '-';
          const body = (item.content ?? []).map((c) => block(c, depth + 1)).join('\n');
          return `${'  '.repeat(depth)}${marker} ${body}`;
        })
        .join('\n');
    case 'blockquote':
      return children
        .map((c) => block(c, depth))
        .join('\n')
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'rule':
      return '---';
    default:
      return children.length > 0 ? children.map((c) => block(c, depth)).join('\n\n') : inline(node);
  }
}

/** Plain text of an ADF document (or a v2 string body, returned as it is). */
export function adfToText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return null;
  const doc = value as AdfNode;
  return (doc.content ?? [])
    .map((n) => block(n, 0))
    .join('\n\n')
    .trim();
}
