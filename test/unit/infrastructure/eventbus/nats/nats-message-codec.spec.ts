import { MsgHdrsImpl, type MsgHdrs } from '@nats-io/transport-node';
import { EnvelopeHeader, InvalidMessageError } from '../../../../../src/infrastructure/eventbus';
import {
  deadLetterHeaders,
  KeyHeader,
  MessageIdHeader,
  publishHeaders,
} from '../../../../../src/infrastructure/eventbus/nats/nats-message-codec';

/** The headers as the server and every consumer read them: decoded from the bytes sent. */
const onTheWire = (sent: Uint8Array): MsgHdrs => MsgHdrsImpl.decode(sent);

describe('NATS message codec', () => {
  it('sends the user headers, the URI-encoded key and the message id; the envelope travels as JetStream metadata', () => {
    const sent = onTheWire(
      publishHeaders(
        'orders',
        { 'x-tenant': ' acme ', [EnvelopeHeader.id]: 'spoofed', [EnvelopeHeader.time]: 'spoofed' },
        'k 1',
        'm-1',
      ),
    );
    expect([...sent.keys()]).toEqual(['x-tenant', KeyHeader, MessageIdHeader]);
    expect(sent.get('x-tenant')).toBe('acme');
    expect(sent.get(KeyHeader)).toBe('k%201');
    expect(sent.get(MessageIdHeader)).toBe('m-1');
  });

  it('sends a key of printable ASCII without % as it is and encodes any other, which decoding restores', () => {
    const keyOnTheWire = (key: string): string =>
      onTheWire(publishHeaders('orders', undefined, key, 'm-1')).get(KeyHeader);
    for (const plain of ['tenant/3f2a-9c', 'a:b@c!~*()', '"quoted"']) expect(keyOnTheWire(plain)).toBe(plain);
    for (const escaped of ['k 1', ' padded ', 'line\r\nbreak', 'tab\there', '50%', '%41', 'é-ü', '\u007f']) {
      expect(keyOnTheWire(escaped)).toBe(encodeURIComponent(escaped));
      expect(decodeURIComponent(keyOnTheWire(escaped))).toBe(escaped);
    }
  });

  it('is the header block nats.js would encode for the same headers', () => {
    const expected = new MsgHdrsImpl();
    expected.set('x-tenant', 'acme');
    expected.set('x-trace', 'é ü');
    expected.set(KeyHeader, 'k');
    expected.set(MessageIdHeader, 'm-1');
    const sent = publishHeaders('orders', { 'x-tenant': 'acme', 'x-trace': 'é ü' }, 'k', 'm-1');
    expect(Buffer.from(sent).toString()).toBe(Buffer.from(expected.encode()).toString());
  });

  it('writes the block of a message with no header but its id as nats.js would, whatever the id', () => {
    for (const id of ['m-1', ' m-2 ', 'é-ü', 'tab\there', 'x'.repeat(20_000)]) {
      const expected = new MsgHdrsImpl();
      expected.set(MessageIdHeader, id.trim());
      const sent = publishHeaders('orders', {}, undefined, id);
      expect(Buffer.from(sent).toString()).toBe(Buffer.from(expected.encode()).toString());
    }
  });

  it('lets the key and the message id win over user headers of their names', () => {
    const sent = onTheWire(
      publishHeaders('orders', { [KeyHeader]: 'user', [MessageIdHeader]: 'user' }, 'k', 'm-1'),
    );
    expect(sent.values(KeyHeader)).toEqual(['k']);
    expect(sent.values(MessageIdHeader)).toEqual(['m-1']);
  });

  it('keeps the envelope of a dead letter: the original id and time', () => {
    const sent = onTheWire(
      deadLetterHeaders(
        'orders.dlq',
        { [EnvelopeHeader.id]: 'original', [EnvelopeHeader.time]: 't0' },
        undefined,
        'original:dlq:g',
      ),
    );
    expect(sent.get(EnvelopeHeader.id)).toBe('original');
    expect(sent.get(EnvelopeHeader.time)).toBe('t0');
    expect(sent.get(MessageIdHeader)).toBe('original:dlq:g');
  });

  it('rejects a header name or value NATS cannot carry, naming the header', () => {
    expect(() => publishHeaders('orders', { 'x-bad': 'a\r\nb' }, undefined, 'm')).toThrow(
      InvalidMessageError,
    );
    expect(() => publishHeaders('orders', { 'bad name': 'v' }, undefined, 'm')).toThrow('header "bad name"');
    expect(() => publishHeaders('orders', { 'a:b': 'v' }, undefined, 'm')).toThrow('header "a:b"');
    expect(() => publishHeaders('orders', { '': 'v' }, undefined, 'm')).toThrow(InvalidMessageError);
  });

  it('gives every block bytes of its own', () => {
    const blocks = Array.from({ length: 2_000 }, (_, index) =>
      publishHeaders('orders', { n: String(index) }, undefined, `m-${index}`),
    );
    blocks.forEach((block, index) => expect(onTheWire(block).get('n')).toBe(String(index)));
    const idOnly = Array.from({ length: 2_000 }, (_, index) =>
      publishHeaders('orders', undefined, undefined, `m-${index}`),
    );
    idOnly.forEach((block, index) => expect(onTheWire(block).get(MessageIdHeader)).toBe(`m-${index}`));
  });
});
