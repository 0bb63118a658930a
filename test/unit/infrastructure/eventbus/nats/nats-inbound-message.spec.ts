import { EnvelopeHeader } from '../../../../../src/infrastructure/eventbus';
import { toInboundMessage } from '../../../../../src/infrastructure/eventbus/nats/nats-inbound-message';
import { KeyHeader } from '../../../../../src/infrastructure/eventbus/nats/nats-message-codec';
import { type NatsPulledMessage } from '../../../../../src/infrastructure/eventbus/nats/nats-pulled-message';
import { pulledDelivery } from '../../../../support/nats/nats-pulled-delivery';

const STORED_AT = '2024-05-01T10:00:00.000Z';

/** A JetStream delivery with headers as they arrive from NATS, stored at STORED_AT. */
function received(headers: Record<string, string> | undefined, seq = 7): NatsPulledMessage {
  return pulledDelivery({ seq, headers, storedAtMs: Date.parse(STORED_AT) }).message;
}

describe('NATS inbound message', () => {
  it('gives handlers the user headers, the envelope (id and stored time), the decoded key, no NATS internals', () => {
    const inbound = toInboundMessage(
      received({ 'x-tenant': 'acme', 'Nats-Msg-Id': 'm-1', [KeyHeader]: 'k%201' }),
    );
    const { payload, key, messageId, headers } = inbound;
    expect({ payload, key, messageId, headers }).toEqual({
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
