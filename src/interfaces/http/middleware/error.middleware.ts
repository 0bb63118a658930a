import type { ErrorRequestHandler, Request, Response } from 'express';
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
  fromClientHttpError,
  HttpError,
  RequestValidationError,
} from '../errors/http-errors';
import { PROBLEM_CONTENT_TYPE, problemDetails, type ProblemDetails } from '../errors/problem-details';
import { REQUEST_ID_HEADER, requestLoggerOf } from './request-id.middleware';

// Long enough for a pool connection to free up or a restarted database to accept connections.
const RETRY_AFTER_SECONDS = 5;

interface ErrorReply {
  problem: ProblemDetails;
  headers?: Readonly<Record<string, string>>;
}

/**
 * The one place where errors become HTTP responses, all `application/problem+json`. Client errors
 * are logged at warn without a stack; anything unrecognised is a 500 that reveals nothing.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a response of our own; express's handler closes the connection.
      next(error);
      return;
    }
    const { problem, headers } = toErrorReply(error, req, res);
    const log = requestLoggerOf(res) ?? logger;
    if (problem.status === 503) {
      // Expected during an outage: one line without a stack, so logs stay readable while it lasts.
      log.warn({ reason: (error as Error).message }, 'request failed: dependency unavailable');
    } else if (problem.status >= 500) {
      log.error({ err: error }, 'request failed');
    } else {
      log.warn({ status: problem.status, code: problem.code, detail: problem.detail }, 'request rejected');
    }
    sendProblem(res, problem, headers);
  };
}

/** Writes a problem reply; also used where express's error path does not apply. */
export function sendProblem(
  res: Response,
  problem: ProblemDetails,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.set(headers).status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Path and request id of the request, for a problem's `instance` and `requestId`. */
export function problemContext(req: Request, res: Response): { instance: string; requestId?: string } {
  const requestId = res.getHeader(REQUEST_ID_HEADER);
  return { instance: req.path, ...(typeof requestId === 'string' && { requestId }) };
}

function toErrorReply(error: unknown, req: Request, res: Response): ErrorReply {
  const context = problemContext(req, res);
  if (error instanceof RequestValidationError) {
    return { problem: problemDetails(400, error.code, error.message, { ...context, errors: error.details }) };
  }
  const httpError =
    error instanceof HttpError ? error : (fromBodyParserError(error) ?? fromClientHttpError(error));
  if (httpError) {
    return {
      problem: problemDetails(httpError.status, httpError.code, httpError.message, context),
      headers: httpError.headers,
    };
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      problem: problemDetails(
        503,
        error.code,
        `The ${error.dependency} is unavailable; try again later`,
        context,
      ),
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof DomainError) {
    const status = domainErrorStatus(error);
    // Other domain errors (e.g. an unreadable event) are not the caller's doing.
    if (status !== undefined) return { problem: problemDetails(status, error.code, error.message, context) };
  }
  return { problem: problemDetails(500, 'INTERNAL_ERROR', 'Internal server error', context) };
}

function domainErrorStatus(error: DomainError): number | undefined {
  if (error instanceof DomainValidationError) return 422;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return undefined;
}
