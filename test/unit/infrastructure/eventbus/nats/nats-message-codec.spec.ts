import { EnvelopeHeader, InvalidMessageError } from '../../../../../src/infrastructure/eventbus';
import {
  deadLetterHeaders,
  KeyHeader,
  publishHeaders,
} from '../../../../../src/infrastructure/eventbus/nats/nats-message-codec';

describe('NATS message codec', () => {
  it('sends the user headers and the URI-encoded key; the envelope travels as JetStream metadata', () => {
    const sent = publishHeaders(
      'orders',
      { 'x-tenant': 'acme', [EnvelopeHeader.id]: 'spoofed', [EnvelopeHeader.time]: 'spoofed' },
      'k 1',
    );
    expect(sent.get('x-tenant')).toBe('acme');
    expect(sent.has(EnvelopeHeader.id)).toBe(false);
    expect(sent.has(EnvelopeHeader.time)).toBe(false);
    expect(sent.get(KeyHeader)).toBe('k%201');
  });

  it('keeps the envelope of a dead letter: the original id and time', () => {
    const sent = deadLetterHeaders(
      'orders.dlq',
      { [EnvelopeHeader.id]: 'original', [EnvelopeHeader.time]: 't0' },
      undefined,
    );
    expect(sent.get(EnvelopeHeader.id)).toBe('original');
    expect(sent.get(EnvelopeHeader.time)).toBe('t0');
  });

  it('rejects a header name or value NATS cannot carry, naming the header', () => {
    expect(() => publishHeaders('orders', { 'x-bad': 'a\r\nb' }, undefined)).toThrow(InvalidMessageError);
    expect(() => publishHeaders('orders', { 'bad name': 'v' }, undefined)).toThrow('header "bad name"');
  });
});
