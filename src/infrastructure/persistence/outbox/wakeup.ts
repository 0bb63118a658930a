/** Lets a polling loop sleep until its interval passes or someone signals new work, whichever is first. */
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
      const timer = setTimeout(() => this.endWait?.(), ms);
      this.endWait = () => {
        clearTimeout(timer);
        this.endWait = undefined;
        resolve();
      };
    });
  }

  wake(): void {
    if (this.endWait) this.endWait();
    else this.signalled = true;
  }
}
