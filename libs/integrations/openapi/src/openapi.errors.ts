/** A problem with the connection's document or configuration; the message is safe to show a user or a model. */
export class OpenApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiError';
  }
}
