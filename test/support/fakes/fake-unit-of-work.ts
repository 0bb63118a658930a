import type { UnitOfWork } from '../../../src/application/shared/unit-of-work';

/**
 * Runs the work and counts how each unit ended. It undoes nothing: the fakes the work touched keep
 * what they stored, so a test of a failing unit checks that nothing was stored in the first place.
 */
export class FakeUnitOfWork implements UnitOfWork {
  private commits = 0;
  private rollbacks = 0;
  private running = 0;

  async transactionally<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      const result = await work();
      this.commits += 1;
      return result;
    } catch (error) {
      this.rollbacks += 1;
      throw error;
    } finally {
      this.running -= 1;
    }
  }

  /** Units whose work resolved. */
  get committed(): number {
    return this.commits;
  }

  /** Units whose work threw. */
  get rolledBack(): number {
    return this.rollbacks;
  }

  /** True while work runs: a repository or publisher called now would join the transaction. */
  get active(): boolean {
    return this.running > 0;
  }
}
