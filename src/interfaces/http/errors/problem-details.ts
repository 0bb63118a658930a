import { STATUS_CODES } from 'node:http';
import type { FieldError } from './http-errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An error reply (RFC 9457). `type` is `about:blank`, so `title` is the status phrase; `code` is the
 * stable machine-readable name of the problem and what clients should branch on.
 */
export interface ProblemDetails {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  /** The request path the problem happened on. */
  instance?: string;
  code: string;
  requestId?: string;
  /** Field problems of a validation failure, at most MAX_FIELD_ERRORS of them. */
  errors?: FieldError[];
}

/** Enough to fix a request; a body with thousands of bad keys must not get a reply listing each. */
export const MAX_FIELD_ERRORS = 20;

export function problemDetails(
  status: number,
  code: string,
  detail: string,
  context: { instance?: string; requestId?: string; errors?: FieldError[] } = {},
): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(context.instance !== undefined && { instance: context.instance }),
    code,
    ...(context.requestId !== undefined && { requestId: context.requestId }),
    ...(context.errors && { errors: context.errors.slice(0, MAX_FIELD_ERRORS) }),
  };
}
