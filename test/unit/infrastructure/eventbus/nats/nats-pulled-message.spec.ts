import { type Msg } from '@nats-io/transport-node';
import { NatsPulledMessage } from '../../../../../src/infrastructure/eventbus/nats/nats-pulled-message';
import { pulledDelivery } from '../../../../support/nats/nats-pulled-delivery';

const withReply = (reply: string | undefined): Msg => ({ subject: '_INBOX.x.1', reply }) as unknown as Msg;

describe('NatsPulledMessage', () => {
  it('reads the delivery metadata from the short reply subject layout', () => {
    const { message } = pulledDelivery({ seq: 42, deliveryCount: 3, storedAtMs: 1_714_557_600_123 });
    expect([message.stream, message.seq, message.deliveryCount]).toEqual(['S', 42, 3]);
    expect(Math.floor(message.timestampNanos / 1_000_000)).toBe(1_714_557_600_123);
  });

  it('reads it from the layout with a domain, an account hash and a token', () => {
    const message = new NatsPulledMessage(
      withReply('$JS.ACK.hub.ACCHASH.ORDERS.billing.2.17.9.1714557600123000000.5.x7Yz'),
    );
    expect([message.stream, message.seq, message.deliveryCount]).toEqual(['ORDERS', 17, 2]);
    expect(message.timestampNanos).toBe(1_714_557_600_123_000_000);
  });

  it('tells deliveries from status messages by their reply subject', () => {
    expect(NatsPulledMessage.isDelivery(withReply('$JS.ACK.S.C.1.1.1.0.0'))).toBe(true);
    expect(NatsPulledMessage.isDelivery(withReply(undefined))).toBe(false);
    expect(NatsPulledMessage.isDelivery(withReply('_INBOX.reply'))).toBe(false);
  });

  it('sends the first of ack, nak and term only, and progress only before it', () => {
    const { message, answers } = pulledDelivery();
    message.working();
    message.ack();
    message.nak();
    message.term();
    message.working();
    expect(answers).toEqual(['+WPI', '']);

    const other = pulledDelivery();
    other.message.term();
    other.message.ack();
    expect(other.answers).toEqual(['+TERM']);
  });
});
