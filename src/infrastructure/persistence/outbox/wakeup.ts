/**
 * Lets polling loops sleep until their interval passes or someone signals new work, whichever is
 * first. A wake() ends every wait in progress; with nobody waiting, the next wait ends at once.
 */
export class Wakeup {
  private signalled = false;
  private readonly waits = new Set<() => void>();

  /** Resolves after `ms`, or early on `wake()`; at once if `wake()` came while nobody waited. */
  wait(ms: number): Promise<void> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.waits.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.waits.add(end);
    });
  }

  wake(): void {
    if (this.waits.size === 0) {
      this.signalled = true;
      return;
    }
    for (const end of [...this.waits]) end();
  }
}
