import { type MessageContext, type MessageHandler, type MessageHeaders } from '../event-bus';
import { HandlerTimeoutError } from './kafka-errors';

/**
 * One handler attempt: its context, whose `signal` is created only if the handler reads it (an
 * AbortController per message would cost more than the rest of the delivery path).
 */
class Attempt implements MessageContext {
  readonly topic: string;
  readonly group: string;
  readonly key: string | undefined;
  readonly headers: Readonly<MessageHeaders>;
  readonly messageId: string;
  readonly attempt: number;
  private controller: AbortController | undefined;
  private abortReason: unknown;

  constructor(
    context: MessageContext,
    readonly deadline: number,
    readonly fail: (error: Error) => void,
  ) {
    this.topic = context.topic;
    this.group = context.group;
    this.key = context.key;
    this.headers = context.headers;
    this.messageId = context.messageId;
    this.attempt = context.attempt;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    this.abortReason ??= reason;
    this.controller?.abort(reason);
  }
}

/**
 * Bounds every handler attempt of one subscription by `kafka.consumer.maxProcessingTime`: past it
 * the attempt's signal is aborted and the attempt fails (so it is retried, then dead-lettered),
 * which frees its partition instead of stalling it forever. One timer sweeps all attempts.
 */
export class HandlerDeadline {
  private readonly running = new Set<Attempt>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limit: number,
    stopSignal: AbortSignal,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(1000, limit / 4)));
    this.sweeper.unref();
    // Closing the bus aborts every running attempt's own signal too.
    stopSignal.addEventListener('abort', () => {
      for (const attempt of this.running) attempt.abort(stopSignal.reason);
    });
  }

  wrap(handler: MessageHandler): MessageHandler {
    return (payload, context) =>
      new Promise<void>((resolve, reject) => {
        const attempt = new Attempt(context, Date.now() + this.limit, reject);
        this.running.add(attempt);
        let result: Promise<void>;
        try {
          result = Promise.resolve(handler(payload, attempt));
        } catch (error) {
          this.running.delete(attempt);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the handler's reason, passed on as is
          reject(error);
          return;
        }
        result.then(
          () => {
            this.running.delete(attempt);
            resolve();
          },
          (error: unknown) => {
            this.running.delete(attempt);
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the handler's reason, passed on as is
            reject(error);
          },
        );
      });
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const attempt of this.running) {
      if (attempt.deadline > now) continue;
      this.running.delete(attempt);
      const error = new HandlerTimeoutError(
        `handler exceeded eventbus.kafka.consumer.maxProcessingTime (${this.limit} ms)`,
      );
      attempt.abort(error);
      attempt.fail(error);
    }
  }
}
