import { type EventBus } from './event-bus';

/** The seed's `sdk.Runtime` holder: one place where a framework can park the bus it built. */
export class EventBusRuntime {
  private bus: EventBus | undefined;

  setEventBus(bus: EventBus): void {
    this.bus = bus;
  }

  getEventBus(): EventBus {
    if (!this.bus) throw new Error('no event bus is set on the runtime; call runtime.setEventBus(bus) first');
    return this.bus;
  }
}

export const runtime = new EventBusRuntime();
