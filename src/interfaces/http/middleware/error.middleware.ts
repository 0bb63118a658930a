import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { DependencyUnavailableError } from '../../../application/shared/dependency-unavailable.error';
import {
  ConflictError,
  DomainError,
  DomainValidationError,
  NotFoundError,
} from '../../../domain/shared/domain-error';
import {
  fromBodyParserError,
  HttpError,
  RequestValidationError,
  type FieldError,
} from '../errors/http-errors';
import { requestLoggerOf } from './request-id.middleware';

export interface ErrorResponseBody {
  error: string;
  message: string;
  details?: FieldError[];
}

interface ErrorResponse {
  status: number;
  body: ErrorResponseBody;
  /** Seconds, for 503: when trying again is worthwhile. */
  retryAfter?: number;
}

// Long enough for a pool connection to free up or a restarted database to accept connections.
const RETRY_AFTER_SECONDS = 5;

const INTERNAL_ERROR: ErrorResponse = {
  status: 500,
  body: { error: 'INTERNAL_ERROR', message: 'Internal server error' },
};

/** The one place where errors become HTTP responses. Anything unrecognised is a 500 that reveals nothing. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      // Too late for a response of our own; express's handler closes the connection.
      next(error);
      return;
    }
    const response = toErrorResponse(error);
    if (response.status === 503) {
      // Expected during an outage: one line without a stack, so logs stay readable while it lasts.
      (requestLoggerOf(res) ?? logger).warn(
        { reason: (error as Error).message },
        'request failed: dependency unavailable',
      );
    } else if (response.status >= 500) {
      (requestLoggerOf(res) ?? logger).error({ err: error }, 'request failed');
    }
    if (response.retryAfter !== undefined) res.set('Retry-After', String(response.retryAfter));
    res.status(response.status).json(response.body);
  };
}

function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RequestValidationError) {
    return {
      status: error.status,
      body: { error: error.code, message: error.message, details: error.details },
    };
  }
  const httpError = error instanceof HttpError ? error : fromBodyParserError(error);
  if (httpError) {
    return { status: httpError.status, body: { error: httpError.code, message: httpError.message } };
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      status: 503,
      body: { error: error.code, message: `The ${error.dependency} is unavailable; try again later` },
      retryAfter: RETRY_AFTER_SECONDS,
    };
  }
  if (error instanceof DomainError) {
    const status = domainErrorStatus(error);
    // Other domain errors (e.g. an unreadable event) are not the caller's doing.
    if (status !== undefined) return { status, body: { error: error.code, message: error.message } };
  }
  return INTERNAL_ERROR;
}

function domainErrorStatus(error: DomainError): number | undefined {
  if (error instanceof DomainValidationError) return 422;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return undefined;
}
