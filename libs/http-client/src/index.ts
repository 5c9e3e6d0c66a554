export {
  EgressPolicy,
  systemResolver,
  type EgressPolicyOptions,
  type ResolvedAddress,
  type Resolver,
} from './egress-policy.js';
export {
  GuardedHttpClient,
  type GuardedHttpClientOptions,
  type HttpMethod,
  type HttpRequestOptions,
  type HttpResponse,
} from './guarded-http-client.js';
export { EgressRefusedError, HttpClientError, type HttpClientErrorCode } from './http-client.errors.js';
export { HttpClientModule, type HttpClientModuleOptions } from './http-client.module.js';
