import { Parser } from '@asyncapi/parser';
import request from 'supertest';
import { type DomainEventClass } from '../../../src/domain/shared/domain-event';
import { type Service } from '../../../src/infrastructure/di/service';
import { resolveAll } from '../../../src/infrastructure/di/token';
import { TOKENS } from '../../../src/infrastructure/di/tokens';
import { startTestService } from '../../support/test-service';

jest.setTimeout(30_000);

/** Every event the service publishes or receives, as the container wires it. */
async function everyEvent(service: Service): Promise<DomainEventClass[]> {
  const published = (await resolveAll(service.container, TOKENS.PublishedEvents)).flat();
  const subscribers = await resolveAll(service.container, TOKENS.DomainEventSubscriber);
  return [...new Set([...published, ...subscribers.flatMap((subscriber) => subscriber.subscribedTo())])];
}

/** An attribute value of the declared type. */
function exampleOf(type: string): unknown {
  return { string: 'text', integer: 7, number: 1.5, boolean: true }[type];
}

describe('the API documents, generated from the code', () => {
  let service: Service;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service.stop();
  });

  it('serves an OpenAPI 3.1 document that the OpenAPI parser accepts, with every route', async () => {
    const { validate } = await import('@readme/openapi-parser');
    const document = (await request(service.app).get('/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };

    const result = await validate(structuredClone(document) as never);

    expect(result).toMatchObject({ valid: true });
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/health',
        '/health/eventbus',
        '/health/live',
        '/health/ready',
        '/metrics',
        '/notifications',
        '/users',
        '/users/{id}',
      ].sort(),
    );
    expect(Object.keys(document.paths['/users/{id}']!).sort()).toEqual(['get', 'patch']);
    // Request bodies come from the DTOs' validation decorators.
    expect(document.components.schemas.RegisterUserRequestDto).toMatchObject({
      properties: {
        email: { type: 'string', format: 'email' },
        name: { type: 'string', minLength: 1, maxLength: 100 },
      },
      required: ['email', 'name'],
      additionalProperties: false,
    });
  });

  it('serves an AsyncAPI 3 document that the AsyncAPI parser accepts, with every event and subscriber', async () => {
    const document = (await request(service.app).get('/asyncapi.json').expect(200)).body as {
      channels: Record<string, { messages: Record<string, unknown> }>;
      operations: Record<string, { action: string }>;
    };

    const { diagnostics } = await new Parser().parse(JSON.stringify(document));

    // Severity 0 is an error; warnings and hints do not make a document invalid.
    expect(diagnostics.filter((diagnostic) => Number(diagnostic.severity) === 0)).toEqual([]);
    const events = await everyEvent(service);
    expect(Object.keys(document.channels['users.events']!.messages).sort()).toEqual(
      events.map((event) => `${event.EVENT_NAME}.v${event.VERSION}`).sort(),
    );
    expect(document.operations['publish-users.events']!.action).toBe('send');
    const subscribers = await resolveAll(service.container, TOKENS.DomainEventSubscriber);
    for (const subscriber of subscribers) {
      expect(document.operations[subscriber.subscriberName]!.action).toBe('receive');
    }
  });

  it('describes each event as it is: its declared attributes are exactly what it writes and reads', async () => {
    for (const eventClass of await everyEvent(service)) {
      const attributes = Object.fromEntries(
        Object.entries(eventClass.ATTRIBUTES).map(([name, { type }]) => [name, exampleOf(type)]),
      );

      const event = eventClass.fromPrimitives({
        aggregateId: 'aggregate-1',
        eventId: 'event-1',
        occurredOn: new Date(),
        attributes,
      });

      expect({ event: eventClass.EVENT_NAME, attributes: event.toPrimitives() }).toEqual({
        event: eventClass.EVENT_NAME,
        attributes,
      });
    }
  });

  it('renders both as one page at /docs, loading nothing from elsewhere', async () => {
    const response = await request(service.app).get('/docs').expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    for (const eventClass of await everyEvent(service))
      expect(response.text).toContain(eventClass.EVENT_NAME);
    expect(response.text).toContain('PATCH /users/{id}');
    expect(response.text).not.toMatch(/<script|https?:\/\//);
  });
});
