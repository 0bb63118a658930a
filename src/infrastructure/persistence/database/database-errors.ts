import { DependencyUnavailableError } from '../../../application/shared/dependency-unavailable.error';

// SQLSTATE classes and codes that mean "the database cannot serve us now", not "the statement is wrong".
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]$|57014$)/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
// node-postgres reports lost connections and its own timeouts by message only.
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end/i;

/** A driver error that says the database is unreachable or overloaded becomes a DependencyUnavailableError. */
export function translateDatabaseError(error: unknown): unknown {
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (a test sandbox).
  if (typeof error !== 'object' || error === null || error instanceof DependencyUnavailableError)
    return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) ||
    UNAVAILABLE_MESSAGE.test(text);
  if (!unavailable) return error;
  return Object.assign(new DependencyUnavailableError('database', `database unavailable: ${text}`), {
    cause: error,
  });
}

/** The PostgreSQL error code of a violated unique constraint, and the constraint's name. */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code !== '23505') return undefined;
  if (typeof constraint === 'string') return constraint;
  // PGlite leaves `constraint` empty; the message names it: duplicate key value violates unique constraint "x".
  return typeof message === 'string' ? /constraint "([^"]+)"/.exec(message)?.[1] : undefined;
}
