/** The running OpenTelemetry SDK (`TelemetryRuntime`), provided only when the telemetry control is on. */
export const TELEMETRY_RUNTIME = Symbol('TELEMETRY_RUNTIME');
