/** Polls `condition` until it holds or the deadline passes; tests wait on state, never on sleeps. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: { timeout?: number; interval?: number; message?: string | (() => string) } = {},
): Promise<void> {
  const { timeout = 5000, interval = 10 } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const message = typeof options.message === 'function' ? options.message() : options.message;
      throw new Error(`condition not met within ${timeout} ms${message ? `: ${message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
