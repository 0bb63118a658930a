import { type Msg, type MsgHdrs } from '@nats-io/transport-node';

const encoder = new TextEncoder();
const NAK = encoder.encode('-NAK');
const TERM = encoder.encode('+TERM');
const WORKING = encoder.encode('+WPI');
const EMPTY = new Uint8Array(0);

/** Dot positions of the reply subject being parsed: one scan, no token strings. */
const dots = new Int32Array(16);

/**
 * A message a pull request delivered, and its acknowledgements: each is a publish to the message's
 * reply subject (an empty one acks), as JetStream defines them. The reply subject also carries the
 * delivery's metadata, parsed once when first read:
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time ns>.<pending>`, or with
 * `<domain>.<account hash>` after `$JS.ACK` and a random token at the end (newer servers).
 */
export class NatsPulledMessage {
  private parsed = false;
  private streamSequence = 0;
  private delivered = 0;
  private storedNanos = 0;
  private streamStart = 0;
  private streamEnd = 0;
  /** Acked, nak'ed or terminated: JetStream takes the first of these and ignores the rest. */
  private settled = false;

  constructor(private readonly msg: Msg) {}

  /** Whether `msg` is a delivery (its reply subject acknowledges it) rather than a status message. */
  static isDelivery(msg: Msg): boolean {
    return msg.reply !== undefined && msg.reply.startsWith('$JS.ACK.');
  }

  get data(): Uint8Array {
    return this.msg.data;
  }

  get headers(): MsgHdrs | undefined {
    return this.msg.headers;
  }

  get stream(): string {
    this.parse();
    return (this.msg.reply ?? '').slice(this.streamStart, this.streamEnd);
  }

  /** The message's sequence in its stream: the same for every delivery of it. */
  get seq(): number {
    this.parse();
    return this.streamSequence;
  }

  /** 1 for the first delivery, 2 for the first redelivery, ... */
  get deliveryCount(): number {
    this.parse();
    return this.delivered;
  }

  /** When the stream stored the message, in ns since the epoch (a double: ms precision is kept). */
  get timestampNanos(): number {
    this.parse();
    return this.storedNanos;
  }

  ack(): void {
    this.settle(EMPTY);
  }

  /** Redeliver at once (to any instance of the group). */
  nak(): void {
    this.settle(NAK);
  }

  /** Never redeliver. */
  term(): void {
    this.settle(TERM);
  }

  /** Still being handled: JetStream restarts its `ack_wait` for the message. */
  working(): void {
    if (!this.settled) this.msg.respond(WORKING);
  }

  private settle(answer: Uint8Array): void {
    if (this.settled) return;
    this.settled = true;
    this.msg.respond(answer);
  }

  private parse(): void {
    if (this.parsed) return;
    this.parsed = true;
    const reply = this.msg.reply ?? '';
    let count = 0;
    for (let index = 0; index < reply.length && count < dots.length; index++) {
      if (reply.charCodeAt(index) === 46) dots[count++] = index;
    }
    // Tokens are counted from the stream name: the short layout has 9 tokens, the long one 12 or more.
    const first = count + 1 === 9 ? 2 : 4;
    const start = (token: number): number => dots[first + token - 1]! + 1;
    const end = (token: number): number => (first + token < count ? dots[first + token]! : reply.length);
    this.streamStart = start(0);
    this.streamEnd = end(0);
    this.delivered = digits(reply, start(2), end(2));
    this.streamSequence = digits(reply, start(3), end(3));
    this.storedNanos = digits(reply, start(5), end(5));
  }
}

/** The decimal number in `text` from `start` to `end`; NaN if it is not one. */
function digits(text: string, start: number, end: number): number {
  if (end <= start) return Number.NaN;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}
