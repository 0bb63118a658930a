import { headers as natsHeaders, type Msg } from '@nats-io/transport-node';
import { NatsPulledMessage } from '../../../src/infrastructure/eventbus/nats/nats-pulled-message';

export interface PulledDelivery {
  readonly seq?: number;
  readonly deliveryCount?: number;
  readonly storedAtMs?: number;
  readonly headers?: Record<string, string>;
}

/**
 * A NatsPulledMessage over a delivery as the server sends it (metadata in the short reply subject
 * layout of stream `S`, consumer `C`), and the acknowledgements published for it, as text.
 */
export function pulledDelivery(delivery: PulledDelivery = {}): {
  message: NatsPulledMessage;
  answers: string[];
} {
  const { seq = 1, deliveryCount = 1, storedAtMs = 0, headers } = delivery;
  const answers: string[] = [];
  let hdrs: ReturnType<typeof natsHeaders> | undefined;
  for (const [name, value] of Object.entries(headers ?? {})) (hdrs ??= natsHeaders()).set(name, value);
  const msg = {
    subject: '_INBOX.x.1',
    reply: `$JS.ACK.S.C.${deliveryCount}.${seq}.${seq}.${BigInt(storedAtMs) * 1_000_000n}.0`,
    data: new Uint8Array([1, 2]),
    headers: hdrs,
    respond(data: Uint8Array = new Uint8Array(0)): boolean {
      answers.push(new TextDecoder().decode(data));
      return true;
    },
  } as unknown as Msg;
  return { message: new NatsPulledMessage(msg), answers };
}
