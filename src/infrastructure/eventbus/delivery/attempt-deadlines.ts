import { type MessageHandler } from '../event-bus';
import { HandlerTimeoutError } from '../errors';
import { type AttemptContext } from './attempt-context';

interface Running {
  readonly context: AttemptContext;
  readonly fail: (error: Error) => void;
}

/**
 * Bounds every handler attempt of one subscription by `limit` ms: past it the attempt's signal is
 * aborted and the attempt fails (so it is retried, then dead-lettered), which frees its slot instead
 * of stalling it forever. One timer sweeps all running attempts; it runs only while some do.
 */
export class AttemptDeadlines {
  private readonly running = new Set<Running>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    readonly limit: number,
    private readonly describeLimit: string,
    stopSignal: AbortSignal,
  ) {
    // Stopping the subscription aborts every running attempt's own signal too.
    stopSignal.addEventListener('abort', () => {
      for (const { context } of this.running) context.abort(stopSignal.reason);
    });
  }

  run(handler: MessageHandler, payload: Uint8Array, context: AttemptContext): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Running = { context, fail: reject };
      this.running.add(entry);
      this.sweeper ??= this.startSweeper();
      const settle = (): void => {
        this.running.delete(entry);
      };
      let result: Promise<void>;
      try {
        result = handler(payload, context);
      } catch (error) {
        settle();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the handler's reason, passed on as is
        reject(error);
        return;
      }
      Promise.resolve(result).then(
        () => {
          settle();
          resolve();
        },
        (error: unknown) => {
          settle();
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the handler's reason, passed on as is
          reject(error);
        },
      );
    });
  }

  private startSweeper(): NodeJS.Timeout {
    const sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(1000, this.limit / 4)));
    sweeper.unref();
    return sweeper;
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.running) {
      if (entry.context.deadline > now) continue;
      this.running.delete(entry);
      const error = new HandlerTimeoutError(`handler exceeded ${this.describeLimit} (${this.limit} ms)`);
      entry.context.abort(error);
      entry.fail(error);
    }
    if (this.running.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
