import { type EventBusConfig } from './config/event-bus.config';
import { InvalidSubscriptionError } from './errors';
import { type MessageHandler, type SubscribeOptions } from './event-bus';

export interface ResolvedSubscribeOptions {
  readonly group: string;
  readonly concurrency: number;
}

/** Validates what a caller passed to `subscribe` and fills in the configured defaults. */
export function resolveSubscribeOptions(
  handler: MessageHandler,
  options: SubscribeOptions,
  config: EventBusConfig,
  defaultGroup: string,
): ResolvedSubscribeOptions {
  if (typeof handler !== 'function') throw new InvalidSubscriptionError('handler must be a function');
  const group = options.group ?? defaultGroup;
  if (typeof group !== 'string' || group.trim() === '') {
    throw new InvalidSubscriptionError('group must be a non-empty string');
  }
  const concurrency = options.concurrency ?? config.subscriber.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidSubscriptionError(`concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  return { group, concurrency };
}

/** Resolves to true when `work` finished within `timeoutMs`, false when the time ran out first. */
export async function waitWithTimeout(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
