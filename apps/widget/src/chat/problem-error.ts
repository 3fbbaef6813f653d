import type { FieldError, Problem } from '@kefu/protocol';

/** Client-side code for a request that never got an HTTP answer (offline, DNS, timeout, CORS). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/**
 * An RFC 9457 problem from the server, or a network failure (`status` 0, code NETWORK_ERROR), so the
 * UI has one shape to look a message up by `code`.
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: readonly FieldError[];
  /** For limit errors (MESSAGE_TOO_LONG, ATTACHMENT_TOO_LARGE): the limit, so the message can state it. */
  readonly limit: number | undefined;

  constructor(problem: Pick<Problem, 'status' | 'code'> & Partial<Problem>, options?: { cause?: unknown }) {
    super(problem.detail ?? problem.code, options);
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
    this.limit = problem.limit;
  }

  get isNetworkFailure(): boolean {
    return this.status === 0;
  }

  static network(cause: unknown): ProblemError {
    return new ProblemError({ status: 0, code: NETWORK_ERROR }, { cause });
  }

  /** Reads a failed response; a body that is not problem+json (a proxy's HTML page) still yields a code. */
  static async fromResponse(res: Response): Promise<ProblemError> {
    return ProblemError.fromBody(res.status, await res.text().catch(() => ''));
  }

  /** The same from a status and a body already read as text (XMLHttpRequest). */
  static fromBody(status: number, text: string): ProblemError {
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the status, invent a code below.
    }
    if (isProblem(body)) return new ProblemError({ ...body, status });
    return new ProblemError({ status, code: `HTTP_${status}` });
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string';
}
