/** One field that failed validation; `field` is a dotted path (`address.street`, `tags.0`). */
export interface FieldError {
  field: string;
  messages: string[];
}

/**
 * A failure of the HTTP request itself (not of a business rule). Domain errors stay free of HTTP
 * knowledge; these carry their status because they only exist in this layer.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers the reply must carry (`Allow` on a 405). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class RequestValidationError extends HttpError {
  constructor(
    message: string,
    readonly details: FieldError[],
  ) {
    super(400, 'VALIDATION_FAILED', message);
  }
}

/** `X-Tenant-ID` is missing where tenancy is required, or is not a valid tenant id. */
export class InvalidTenantError extends HttpError {
  constructor(message: string) {
    super(400, 'INVALID_TENANT', `${message} (header X-Tenant-ID)`);
  }
}

export class RouteNotFoundError extends HttpError {
  constructor(method: string, path: string) {
    super(404, 'NOT_FOUND', `No route for ${method} ${path}`);
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowed.join(', ')}`, {
      Allow: allowed.join(', '),
    });
  }
}

export class ServiceShuttingDownError extends HttpError {
  constructor() {
    super(503, 'SHUTTING_DOWN', 'The service is shutting down; try again', {
      Connection: 'close',
      'Retry-After': '1',
    });
  }
}

/** Nested deeper, or with more values, than any request of this API needs. */
export class JsonTooComplexError extends HttpError {
  constructor(limit: string) {
    super(400, 'JSON_TOO_COMPLEX', `Request body is too complex: ${limit}`);
  }
}

export class MalformedJsonError extends HttpError {
  constructor() {
    super(400, 'MALFORMED_JSON', 'Request body is not valid JSON');
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor() {
    super(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message = 'Request body must be application/json') {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/**
 * Translates the errors of express.json (body-parser), recognised by their `type`. Their messages are
 * not reused: a JSON syntax error quotes the body back.
 */
export function fromBodyParserError(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error) || typeof error.type !== 'string') {
    return undefined;
  }
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError();
    case 'entity.parse.failed':
      return new MalformedJsonError();
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError('Unsupported charset or content encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'entity.verify.failed':
      return new HttpError(400, 'BAD_REQUEST', 'Request body could not be read');
    default:
      return undefined;
  }
}

/**
 * A client error raised by express or a library under it, in the http-errors convention (`status`
 * 4xx, not marked unexposable): a path with bad percent-encoding, a body whose gzip stream is broken. Its
 * message is not reused (it may quote the input); the status is.
 */
export function fromClientHttpError(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose } = error as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const code = typeof status === 'number' ? status : statusCode;
  // express's router marks a bad percent-encoding with status 400 alone, without `expose`.
  if (typeof code !== 'number' || code < 400 || code > 499 || expose === false) return undefined;
  return new HttpError(code, code === 400 ? 'BAD_REQUEST' : 'CLIENT_ERROR', 'The request could not be read');
}
