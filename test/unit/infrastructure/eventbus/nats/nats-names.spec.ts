import { InvalidTopicError } from '../../../../../src/infrastructure/eventbus';
import {
  assertNatsSubject,
  consumerNameFor,
  natsNameFor,
  streamNameFor,
} from '../../../../../src/infrastructure/eventbus/nats/nats-names';

const VALID_NATS_NAME = /^[A-Za-z0-9_-]+$/;

describe('NATS stream and consumer names', () => {
  it('keeps names NATS accepts as they are', () => {
    for (const name of ['jxt-durable', 'health_check_topic', 'orders', 'A-b_C-9']) {
      expect(natsNameFor(name)).toBe(name);
    }
  });

  it('maps dotted and other names to a readable part plus a hash, deterministically', () => {
    const name = streamNameFor('users.events');
    expect(name).toMatch(/^users_events__[0-9a-f]{10}$/);
    expect(streamNameFor('users.events')).toBe(name);
    expect(consumerNameFor('notifications.send-welcome-notification-on-user-registered')).toMatch(
      /^notifications_send-welcome-notification-on-user-__[0-9a-f]{10}$/,
    );
  });

  it('never maps two different names to the same NATS name', () => {
    const tricky = [
      'a.b',
      'a_b',
      'a-b',
      'a..b',
      'a__b',
      'a_b__0123456789',
      `a_b__${natsNameFor('a.b').slice(-10)}`,
      'user events',
      'user/events',
      'ünïcode',
      'x'.repeat(64),
      'x'.repeat(65),
      'x'.repeat(249),
      `${'x'.repeat(248)}y`,
    ];
    const mapped = tricky.map(natsNameFor);
    expect(new Set(mapped).size).toBe(tricky.length);
    for (const name of mapped) {
      expect(name).toMatch(VALID_NATS_NAME);
      expect(name.length).toBeLessThanOrEqual(64);
    }
  });

  it('rejects topics that are not NATS subjects: empty tokens', () => {
    for (const topic of ['.users', 'users.', 'users..events']) {
      expect(() => assertNatsSubject(topic)).toThrow(InvalidTopicError);
    }
    expect(() => assertNatsSubject('users.events')).not.toThrow();
  });
});
