import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { HttpRoute } from '../http-route';
import type { HttpMethod, OperationDoc } from './route-docs';

type Schema = Record<string, unknown>;

/**
 * The HTTP API as an OpenAPI 3.1 document, built from the routes' own descriptions and their DTO
 * classes (request schemas come from the class-validator decorators that validate them, so they
 * cannot drift). Every error is one problem+json shape.
 */
export function buildOpenApiDocument(options: {
  title: string;
  version: string;
  routes: readonly Pick<HttpRoute, 'path' | 'docs'>[];
}): Schema {
  const dtoSchemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<
    string,
    Schema
  >;
  const schemas: Record<string, Schema> = { Problem: PROBLEM };
  const paths: Record<string, Schema> = {};
  for (const route of options.routes) {
    for (const [below, operations] of Object.entries(route.docs)) {
      const path = `${route.path}${below === '/' ? '' : below}` || '/';
      paths[path] = Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => [
          method as HttpMethod,
          operationOf(operation, dtoSchemas, schemas),
        ]),
      );
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version },
    paths,
    components: { schemas },
  };
}

function operationOf(
  operation: OperationDoc,
  dtoSchemas: Record<string, Schema>,
  schemas: Record<string, Schema>,
): Schema {
  const body = operation.body;
  if (body) {
    const schema = dtoSchemas[body.name];
    if (!schema) throw new Error(`${body.name} has no class-validator decorators to describe it`);
    // The validation pipe refuses properties the DTO does not declare.
    schemas[body.name] = { ...schema, additionalProperties: false };
  }
  return {
    summary: operation.summary,
    ...(operation.parameters && { parameters: operation.parameters }),
    ...(body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${body.name}` } } },
      },
    }),
    responses: Object.fromEntries(
      Object.entries(operation.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          content: response.schema
            ? { [response.contentType ?? 'application/json']: { schema: response.schema } }
            : { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      ]),
    ),
  };
}

/** RFC 9457, with the service's stable `code`, the request id and field errors. */
const PROBLEM: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Stable and machine-readable: what a client branches on' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};
