/**
 * Lets one polling loop sleep until its interval passes or someone signals new work, whichever is
 * first. One waiter at a time: a loop waits, never two.
 */
export class Wakeup {
  private signalled = false;
  private endWait: (() => void) | undefined;

  /** Resolves after `ms`, or early on `wake()`; at once if `wake()` came since the last wait. */
  wait(ms: number): Promise<void> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        if (this.endWait === end) this.endWait = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.endWait = end;
    });
  }

  wake(): void {
    if (this.endWait) this.endWait();
    else this.signalled = true;
  }
}
