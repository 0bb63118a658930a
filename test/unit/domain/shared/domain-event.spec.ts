import { InvalidEventPayloadError } from '../../../../src/domain/shared/domain-error';
import {
  DomainEvent,
  readStringAttribute,
  type DomainEventProps,
} from '../../../../src/domain/shared/domain-event';

class PingDomainEvent extends DomainEvent {
  readonly eventName = 'test.ping.sent';
  readonly version = 3;

  constructor(props: DomainEventProps) {
    super(props);
  }

  toPrimitives(): Record<string, unknown> {
    return { payload: 'pong' };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('DomainEvent', () => {
  it('generates a unique eventId and the current occurredOn when absent', () => {
    const before = Date.now();
    const first = new PingDomainEvent({ aggregateId: 'a-1' });
    const second = new PingDomainEvent({ aggregateId: 'a-1' });

    expect(first.eventId).toMatch(UUID);
    expect(first.eventId).not.toBe(second.eventId);
    expect(first.occurredOn.getTime()).toBeGreaterThanOrEqual(before);
    expect(first.occurredOn.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('keeps a given eventId and occurredOn, isolated from later changes to the given Date', () => {
    const occurredOn = new Date('2024-03-01T08:30:00.000Z');
    const event = new PingDomainEvent({ aggregateId: 'a-1', eventId: 'e-1', occurredOn });

    occurredOn.setFullYear(1999);

    expect(event.eventId).toBe('e-1');
    expect(event.occurredOn.toISOString()).toBe('2024-03-01T08:30:00.000Z');
  });

  it('serializes the whole envelope with an ISO-8601 occurredOn', () => {
    const event = new PingDomainEvent({
      aggregateId: 'a-1',
      eventId: 'e-1',
      occurredOn: new Date('2024-03-01T08:30:00.000Z'),
    });

    expect(event.toEnvelopePrimitives()).toEqual({
      eventId: 'e-1',
      aggregateId: 'a-1',
      occurredOn: '2024-03-01T08:30:00.000Z',
      eventName: 'test.ping.sent',
      version: 3,
      attributes: { payload: 'pong' },
    });
  });
});

describe('readStringAttribute', () => {
  it('returns a string attribute', () => {
    expect(readStringAttribute({ email: 'a@b.io' }, 'email', 'test.ping.sent')).toBe('a@b.io');
  });

  it.each([{}, { email: 42 }, { email: null }])('rejects %p with INVALID_EVENT_PAYLOAD', (attributes) => {
    expect(() => readStringAttribute(attributes, 'email', 'test.ping.sent')).toThrow(
      InvalidEventPayloadError,
    );
    expect(() => readStringAttribute(attributes, 'email', 'test.ping.sent')).toThrow(
      'test.ping.sent: attribute "email" must be a string',
    );
  });
});
