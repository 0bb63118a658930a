import { type EventBusConfig } from './config/event-bus.config';
import { type EventBus } from './event-bus';
import { createEventBus } from './factory';
import { type EventBusDependencies } from './dependencies';

/**
 * The seed's process-wide bus (`InitializeFromConfig`, `GetGlobal`, `CloseGlobal`) for code that
 * has no DI container. The service itself injects its bus; prefer that where you can.
 */
let globalBus: EventBus | undefined;

export async function initializeFromConfig(
  config: EventBusConfig,
  dependencies?: EventBusDependencies,
): Promise<EventBus> {
  if (globalBus) throw new Error('the global event bus is already initialized; call closeGlobal() first');
  const bus = await createEventBus(config, dependencies);
  globalBus = bus;
  return bus;
}

export function getGlobal(): EventBus {
  if (!globalBus)
    throw new Error('the global event bus is not initialized; call initializeFromConfig() first');
  return globalBus;
}

export async function closeGlobal(): Promise<void> {
  const bus = globalBus;
  globalBus = undefined;
  await bus?.close();
}
