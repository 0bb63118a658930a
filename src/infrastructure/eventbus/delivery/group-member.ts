import { type DeliveryPipeline } from './delivery-pipeline';
import { IdleWaiters } from './idle-waiters';
import { type DeliveryOutcome, type InboundMessage } from './inbound-message';

/**
 * One subscription of a consumer group in this process: its pipeline (handler, retries, metrics),
 * its share of the group's concurrency, and the controller that stops it.
 */
export class GroupMember {
  inFlight = 0;
  private readonly idle = new IdleWaiters();

  constructor(
    readonly pipeline: DeliveryPipeline,
    readonly concurrency: number,
    readonly abort: AbortController,
  ) {}

  get hasCapacity(): boolean {
    return this.inFlight < this.concurrency;
  }

  async deliver(message: InboundMessage, firstAttempt = 1): Promise<DeliveryOutcome> {
    this.inFlight++;
    try {
      return await this.pipeline.deliver(message, firstAttempt);
    } finally {
      if (--this.inFlight === 0) this.idle.release();
    }
  }

  onIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : this.idle.wait();
  }
}
