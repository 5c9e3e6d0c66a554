/** Why an outbound request did not produce a response. Messages are safe to show a model or a user. */
export type HttpClientErrorCode =
  | 'egress_refused'
  | 'invalid_url'
  | 'too_many_redirects'
  | 'timeout'
  | 'aborted'
  | 'response_too_large'
  | 'connect_failed'
  | 'request_failed';

export class HttpClientError extends Error {
  constructor(
    readonly code: HttpClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpClientError';
  }
}

/** The destination (or a redirect's) is not reachable under the egress policy. */
export class EgressRefusedError extends HttpClientError {
  constructor(
    readonly host: string,
    readonly address: string | null,
    readonly reason: string,
  ) {
    super(
      'egress_refused',
      address !== null && address !== host
        ? `Refused to connect to ${host}: it resolves to ${address}, ${reason}.`
        : `Refused to connect to ${host}: ${reason === 'its name does not resolve' ? reason : `it is ${reason}`}.`,
    );
    this.name = 'EgressRefusedError';
  }
}
