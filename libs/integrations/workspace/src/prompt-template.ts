/**
 * Prompt templates use `{{name}}` placeholders. Substitution is single-pass: a value that itself contains
 * `{{x}}` is inserted literally, so arguments cannot pull in other arguments.
 */
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

export function renderTemplate(template: string, args: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => args[name] ?? '');
}

export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}
