import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlExecutor } from './database';

/** The transaction the current async context runs in, if any; shared by both drivers. */
export class AmbientTransaction {
  private readonly storage = new AsyncLocalStorage<SqlExecutor>();

  current(): SqlExecutor | undefined {
    return this.storage.getStore();
  }

  run<T>(transaction: SqlExecutor, work: () => Promise<T>): Promise<T> {
    return this.storage.run(transaction, work);
  }
}
