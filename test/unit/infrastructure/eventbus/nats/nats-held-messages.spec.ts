import { NatsHeldMessages } from '../../../../../src/infrastructure/eventbus/nats/nats-held-messages';
import { type NatsPulledMessage } from '../../../../../src/infrastructure/eventbus/nats/nats-pulled-message';
import { pulledDelivery } from '../../../../support/nats/nats-pulled-delivery';

/** A delivery of stream message `seq` that counts the progress signals sent for it. */
function delivery(seq: number): NatsPulledMessage & { workingCalls: number } {
  const { message, answers } = pulledDelivery({ seq });
  return Object.defineProperty(message, 'workingCalls', {
    get: () => answers.filter((answer) => answer === '+WPI').length,
  }) as NatsPulledMessage & { workingCalls: number };
}

describe('NatsHeldMessages', () => {
  it('signals progress for every held message whose last signal is older than the interval', () => {
    const held = new NatsHeldMessages(1_000);
    const first = delivery(1);
    const second = delivery(2);
    held.hold(first, 0);
    held.hold(second, 600);

    held.signalProgress(999);
    expect([first.workingCalls, second.workingCalls]).toEqual([0, 0]);
    held.signalProgress(1_000);
    expect([first.workingCalls, second.workingCalls]).toEqual([1, 0]);
    held.signalProgress(1_600);
    expect([first.workingCalls, second.workingCalls]).toEqual([1, 1]);
  });

  it('does not queue a redelivery of a message it holds; the newest delivery replaces the old one', () => {
    const held = new NatsHeldMessages(1_000);
    const original = delivery(5);
    const entry = held.hold(original, 0)!;
    const redelivered = delivery(5);

    expect(held.hold(redelivered, 10)).toBeUndefined();
    expect(entry.message).toBe(redelivered);
    expect(redelivered.workingCalls).toBe(1);
    expect(held.size).toBe(1);
  });

  it('stops signalling once a message is settled or released', () => {
    const held = new NatsHeldMessages(100);
    const message = delivery(3);
    const entry = held.hold(message, 0)!;
    entry.settled = true;
    held.signalProgress(500);
    expect(message.workingCalls).toBe(0);
    expect(held.unsettled()).toEqual([]);
    held.release(entry);
    expect(held.size).toBe(0);
  });
});
