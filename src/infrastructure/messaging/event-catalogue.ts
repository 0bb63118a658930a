import type { DomainEventSubscriber } from '../../application/shared/domain-event-subscriber';
import type { DomainEventClass } from '../../domain/shared/domain-event';
import { EnvelopeHeader } from '../eventbus';
import { topicForEventName } from './topic-naming';

export interface EventCatalogueSources {
  readonly title: string;
  readonly version: string;
  /** Every event the service's contexts publish. */
  readonly published: readonly DomainEventClass[];
  /** Every reaction, with the events it receives (its consumer group is its name). */
  readonly subscribers: readonly Pick<DomainEventSubscriber, 'subscriberName' | 'subscribedTo'>[];
}

type Schema = Record<string, unknown>;

/**
 * The service's events as an AsyncAPI 3 document, built from the event classes and the subscribers,
 * so it cannot drift from the code: one channel per topic, one message per event name and version
 * (the JSON envelope with the event's declared attributes, the bus headers, the Kafka key), a send
 * operation per topic the service publishes to and a receive operation per subscriber.
 */
export function buildEventCatalogue(sources: EventCatalogueSources): Schema {
  const events = distinct([
    ...sources.published,
    ...sources.subscribers.flatMap((subscriber) => subscriber.subscribedTo()),
  ]);
  const channels: Record<string, { address: string; description: string; messages: Schema }> = {};
  const messages: Schema = {};
  for (const event of events) {
    const topic = topicForEventName(event.EVENT_NAME);
    const id = messageId(event);
    channels[topic] ??= {
      address: topic,
      description: `The events of the ${topic.split('.')[0]} context, keyed by tenant and aggregate, so each aggregate's stay in order.`,
      messages: {},
    };
    channels[topic].messages[id] = { $ref: `#/components/messages/${id}` };
    messages[id] = messageOf(event);
  }
  const operations: Schema = {};
  for (const topic of distinct(sources.published.map((event) => topicForEventName(event.EVENT_NAME)))) {
    const sent = sources.published.filter((event) => topicForEventName(event.EVENT_NAME) === topic);
    operations[`publish-${topic}`] = {
      action: 'send',
      summary: `Published from the outbox once the change that recorded it committed`,
      channel: { $ref: `#/channels/${topic}` },
      messages: sent.map((event) => channelMessageRef(event)),
    };
  }
  for (const subscriber of sources.subscribers) {
    const received = subscriber.subscribedTo();
    const topics = distinct(received.map((event) => topicForEventName(event.EVENT_NAME)));
    for (const topic of topics) {
      // An operation reads one channel: a reaction to events of several contexts gets one per topic.
      const id = topics.length === 1 ? subscriber.subscriberName : `${subscriber.subscriberName}-${topic}`;
      operations[id] = {
        action: 'receive',
        summary: `Consumer group "${subscriber.subscriberName}": each event once in effect (inbox)`,
        channel: { $ref: `#/channels/${topic}` },
        messages: received
          .filter((event) => topicForEventName(event.EVENT_NAME) === topic)
          .map((event) => channelMessageRef(event)),
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: sources.title,
      version: sources.version,
      description:
        'Domain events on the event bus (memory, Kafka or NATS JetStream). Delivery is at least once; per-aggregate order holds within a topic.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

function messageOf(event: DomainEventClass): Schema {
  const attributes = Object.entries(event.ATTRIBUTES);
  return {
    name: event.EVENT_NAME,
    title: `${event.EVENT_NAME} v${event.VERSION}`,
    summary: event.DESCRIPTION,
    contentType: 'application/json',
    headers: HEADERS,
    payload: {
      type: 'object',
      required: ['eventId', 'eventName', 'version', 'aggregateId', 'occurredOn', 'attributes', 'metadata'],
      properties: {
        eventId: { type: 'string', description: 'Unique per event; also the message id' },
        eventName: { type: 'string', const: event.EVENT_NAME },
        version: { type: 'integer', const: event.VERSION },
        aggregateId: { type: 'string' },
        occurredOn: { type: 'string', format: 'date-time' },
        attributes: {
          type: 'object',
          required: attributes.map(([name]) => name),
          properties: Object.fromEntries(attributes.map(([name, attribute]) => [name, { ...attribute }])),
        },
        metadata: {
          type: 'object',
          required: ['correlationId', 'causationId'],
          properties: {
            correlationId: {
              type: 'string',
              description: 'The request (or first event) that started the chain',
            },
            causationId: {
              type: ['string', 'null'],
              description: 'The event whose handling published this one',
            },
            tenantId: { type: 'string' },
          },
        },
      },
    },
    bindings: {
      kafka: { key: { type: 'string', description: '<tenant>/<aggregate id>' }, bindingVersion: '0.5.0' },
    },
  };
}

const HEADERS: Schema = {
  type: 'object',
  properties: {
    [EnvelopeHeader.id]: { type: 'string', description: 'The message id: the event id' },
    [EnvelopeHeader.time]: { type: 'string', format: 'date-time', description: 'When the bus published it' },
    [EnvelopeHeader.type]: { type: 'string', description: 'The event name' },
    [EnvelopeHeader.trace]: { type: 'string', description: 'The correlation id' },
    [EnvelopeHeader.tenant]: { type: 'string', description: 'Whose data the event is about' },
    traceparent: { type: 'string', description: 'W3C trace context, when tracing is on' },
  },
};

function messageId(event: DomainEventClass): string {
  return `${event.EVENT_NAME}.v${event.VERSION}`;
}

function channelMessageRef(event: DomainEventClass): Schema {
  return { $ref: `#/channels/${topicForEventName(event.EVENT_NAME)}/messages/${messageId(event)}` };
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
