/**
 * Domain errors carry a stable code, a message and details. They know nothing about HTTP: the error
 * handler in http/ maps codes to status codes. Every code is listed in docs/errors.md.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, id?: string) => new DomainError(`${what.toUpperCase()}_NOT_FOUND`, `${what} not found`, id ? { id } : {});
