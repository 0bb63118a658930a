import { headers as natsHeaders } from '@nats-io/transport-node';
import { type JsMsg } from '@nats-io/jetstream';
import { EnvelopeHeader, InvalidMessageError } from '../../../../../src/infrastructure/eventbus';
import {
  deadLetterHeaders,
  KeyHeader,
  publishHeaders,
  toInboundMessage,
} from '../../../../../src/infrastructure/eventbus/nats/nats-message-codec';

const STORED_AT = '2024-05-01T10:00:00.000Z';

/** The parts of a JetStream message the codec reads, with headers as they arrive from NATS. */
function received(headers: Record<string, string> | undefined, seq = 7): JsMsg {
  const hdrs = headers ? natsHeaders() : undefined;
  for (const [name, value] of Object.entries(headers ?? {})) hdrs!.set(name, value);
  return {
    data: new Uint8Array([1, 2]),
    headers: hdrs,
    seq,
    info: { stream: 'S', timestampNanos: Date.parse(STORED_AT) * 1_000_000 },
  } as unknown as JsMsg;
}

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

  it('gives handlers the user headers, the envelope (id and stored time), the decoded key, no NATS internals', () => {
    const inbound = toInboundMessage(
      received({ 'x-tenant': 'acme', 'Nats-Msg-Id': 'm-1', [KeyHeader]: 'k%201' }),
    );
    expect(inbound).toEqual({
      payload: new Uint8Array([1, 2]),
      key: 'k 1',
      messageId: 'm-1',
      headers: { 'x-tenant': 'acme', [EnvelopeHeader.id]: 'm-1', [EnvelopeHeader.time]: STORED_AT },
    });
  });

  it('keeps envelope headers that travelled explicitly (a dead letter)', () => {
    const inbound = toInboundMessage(
      received({ 'Nats-Msg-Id': 'm-1:dlq:g', [EnvelopeHeader.id]: 'm-1', [EnvelopeHeader.time]: 't0' }),
    );
    expect(inbound.messageId).toBe('m-1');
    expect(inbound.headers).toEqual({ [EnvelopeHeader.id]: 'm-1', [EnvelopeHeader.time]: 't0' });
  });

  it('names a message published without any id by its stream and sequence', () => {
    const inbound = toInboundMessage(received(undefined, 42));
    expect(inbound.messageId).toBe('S:42');
    expect(inbound.key).toBeUndefined();
    expect(inbound.headers).toEqual({ [EnvelopeHeader.id]: 'S:42', [EnvelopeHeader.time]: STORED_AT });
  });
});
