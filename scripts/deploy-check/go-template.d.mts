export class TemplateError extends Error {}
export function isTrue(v: unknown): boolean;
export function printValue(v: unknown): string;
export class Engine {
  constructor(funcs: Record<string, (...args: never[]) => unknown>);
  add(name: string, src: string): unknown;
  render(name: string, dot: unknown): string;
}
