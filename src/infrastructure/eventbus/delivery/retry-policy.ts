import { type RetryConfig } from '../config/event-bus.config';

/** Delay before attempt `nextAttempt` (2, 3, ...): initialBackoff * multiplier^(n-2), capped at maxBackoff. */
export function backoffDelay(nextAttempt: number, retry: RetryConfig): number {
  const exponent = Math.max(0, nextAttempt - 2);
  return Math.min(retry.maxBackoff, retry.initialBackoff * retry.multiplier ** exponent);
}

/** Resolves after `ms`, or early (to false) when `signal` aborts, so shutdown never waits out a backoff. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
