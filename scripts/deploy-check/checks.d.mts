export const root: string;
export const deploy: string;
export const VARIANTS: Record<string, Record<string, unknown>>;
export function lintDockerfile(path: string): string[];
export function checkCompose(path: string): string[];
export function checkChart(chartDir: string, variants?: Record<string, Record<string, unknown>>): string[];
export function checkDashboard(path: string): string[];
export function checkDocs(): string[];
