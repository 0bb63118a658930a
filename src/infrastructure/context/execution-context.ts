import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_TENANT_ID } from './tenant';

/**
 * Who asked for the work being done now, and for which tenant. Set by the HTTP layer per request and
 * by the subscription wiring per handled event; read by the event publisher (correlation, causation
 * and tenant travel into event metadata) and by the repositories (every query is scoped to the
 * tenant), without the domain or the use cases passing them around.
 */
export interface ExecutionContext {
  /** Ties together everything one external request caused, across services and events. */
  readonly correlationId: string;
  /** The event (or request) that directly caused the current work. */
  readonly causationId?: string;
  /** Whose data the work reads and writes; absent means the default tenant. */
  readonly tenantId?: string;
}

const storage = new AsyncLocalStorage<ExecutionContext>();

export const executionContext = {
  run<T>(context: ExecutionContext, work: () => T): T {
    return storage.run(context, work);
  },
  current(): ExecutionContext | undefined {
    return storage.getStore();
  },
  /** The tenant every query of the current work is scoped to. */
  tenantId(): string {
    return storage.getStore()?.tenantId ?? DEFAULT_TENANT_ID;
  },
};
