import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who asked for the work being done now. Set by the HTTP layer per request and by the subscription
 * wiring per handled event, read by the event publisher, so correlation and causation ids travel
 * into event metadata without the domain or the use cases passing them around.
 */
export interface ExecutionContext {
  /** Ties together everything one external request caused, across services and events. */
  readonly correlationId: string;
  /** The event (or request) that directly caused the current work. */
  readonly causationId?: string;
}

const storage = new AsyncLocalStorage<ExecutionContext>();

export const executionContext = {
  run<T>(context: ExecutionContext, work: () => T): T {
    return storage.run(context, work);
  },
  current(): ExecutionContext | undefined {
    return storage.getStore();
  },
};
