import { setMaxListeners } from 'node:events';

/**
 * The controller that stops a subscription. Every message waiting out a retry backoff listens on
 * its signal, so the default limit of 10 listeners would warn under ordinary load.
 */
export function createStopController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
