import type { UnitOfWork } from '../../application/shared/unit-of-work';
import type { Database } from './database/database';

/** A unit of work is one database transaction; repositories and the outbox join it implicitly. */
export class DatabaseUnitOfWork implements UnitOfWork {
  constructor(private readonly database: Database) {}

  transactionally<T>(work: () => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }
}
