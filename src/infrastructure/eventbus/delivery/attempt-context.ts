import { type MessageContext, type MessageHeaders } from '../event-bus';
import { type InboundMessage } from './inbound-message';

/**
 * What a handler sees for one attempt. Headers and id are read from the message only when the
 * handler asks (a backend may decode them lazily), and an attempt with a time limit gets its own
 * AbortController only if the handler reads `signal`: per message, either would cost more than the
 * rest of the delivery path.
 */
export class AttemptContext implements MessageContext {
  private controller: AbortController | undefined;
  private abortReason: unknown;

  constructor(
    readonly topic: string,
    readonly group: string,
    readonly attempt: number,
    private readonly message: InboundMessage,
    /** The subscription's stop signal; shared by every attempt that has no time limit. */
    private readonly stopSignal: AbortSignal,
    /** Epoch ms past which the attempt fails; Infinity when unbounded. */
    readonly deadline: number,
  ) {}

  get key(): string | undefined {
    return this.message.key;
  }

  get headers(): Readonly<MessageHeaders> {
    return this.message.headers;
  }

  get messageId(): string {
    return this.message.messageId;
  }

  get signal(): AbortSignal {
    if (this.deadline === Infinity) return this.stopSignal;
    if (!this.controller) {
      this.controller = new AbortController();
      const reason: unknown =
        this.abortReason ?? (this.stopSignal.aborted ? this.stopSignal.reason : undefined);
      if (reason !== undefined) this.controller.abort(reason);
    }
    return this.controller.signal;
  }

  /** Aborts this attempt's own signal (time limit reached, or the subscription stopping). */
  abort(reason: unknown): void {
    this.abortReason ??= reason;
    this.controller?.abort(reason);
  }
}
