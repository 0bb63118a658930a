/** The OpenAPI description of a router's operations, by path below its mount point ('/', '/{id}'). */
export type RouteDocs = Readonly<Record<string, Partial<Record<HttpMethod, OperationDoc>>>>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OperationDoc {
  readonly summary: string;
  readonly parameters?: readonly Record<string, unknown>[];
  /** A class-validator DTO: its schema is generated from its decorators. */
  readonly body?: abstract new () => object;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

export interface ResponseDoc {
  readonly description: string;
  /** A JSON schema of the body; none for problem+json replies, which share one. */
  readonly schema?: Record<string, unknown>;
  /** Of `schema`; default application/json. */
  readonly contentType?: string;
}

/** A path parameter named `name`. */
export function pathParameter(name: string, description: string): Record<string, unknown> {
  return { name, in: 'path', required: true, description, schema: { type: 'string' } };
}

/** A query parameter named `name`. */
export function queryParameter(name: string, description: string): Record<string, unknown> {
  return { name, in: 'query', required: true, description, schema: { type: 'string' } };
}
