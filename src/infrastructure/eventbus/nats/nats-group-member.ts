import { type DeliveryPipeline } from '../delivery/delivery-pipeline';
import { type DeliveryOutcome, type InboundMessage } from '../delivery/inbound-message';

/** One subscription of a group in this process: its pipeline (handler, retries, metrics) and its share of the work. */
export class NatsGroupMember {
  inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly pipeline: DeliveryPipeline,
    readonly concurrency: number,
    readonly abort: AbortController,
  ) {}

  get hasCapacity(): boolean {
    return this.inFlight < this.concurrency;
  }

  async deliver(message: InboundMessage, firstAttempt: number): Promise<DeliveryOutcome> {
    this.inFlight++;
    try {
      return await this.pipeline.deliver(message, firstAttempt);
    } finally {
      if (--this.inFlight === 0) this.notifyIdle();
    }
  }

  onIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
