export { runCheck, CheckInputError, CHECKER_VERSION } from './run-check.js';
export type {
  ActionRequired,
  AuthMode,
  CheckAuth,
  CheckEvent,
  CheckEventListener,
  CheckFetch,
  CheckOptions,
  CheckOutcome,
  CheckReport,
  CheckSummary,
  JsonValue,
  SkipKind,
  StepDefinition,
  StepGroup,
  StepId,
  StepOutcome,
  StepResult,
  TlsCertificateInfo,
  TlsInspector,
} from './check.types.js';
export { STEPS } from './steps.js';
export { renderProgress, renderReport, renderStepLine, type RenderOptions } from './render.js';
export { createTlsInspector, inspectTlsCertificate, type TlsInspectorOptions } from './tls-probe.js';
export {
  AuthorizationStrategyError,
  type AuthorizationRequest,
  type AuthorizationStrategy,
  type StrategyContext,
} from './strategies/strategy.js';
export { interactiveAuthorization, type InteractiveOptions } from './strategies/interactive.js';
export {
  switchboardTestPrincipal,
  type TestPrincipalCredentials,
  type TestPrincipalOptions,
} from './strategies/switchboard-principal.js';
export {
  authorizationHook,
  type AuthorizationHook,
  type AuthorizationHookOptions,
} from './strategies/hook.js';
