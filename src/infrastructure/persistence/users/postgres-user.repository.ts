import { User } from '../../../domain/users/user.aggregate';
import { UserAlreadyExistsError } from '../../../domain/users/user.errors';
import type { UserId } from '../../../domain/users/user-id.value-object';
import type { UserRepository } from '../../../domain/users/user.repository.port';
import { executionContext } from '../../context/execution-context';
import type { Database } from '../database/database';
import { uniqueViolation } from '../database/database-errors';

interface UserRow {
  id: string;
  email: string;
  name: string;
  registered_at: Date;
  [column: string]: unknown;
}

/**
 * Users in the `users` table, scoped to the current tenant (rows of another tenant are invisible);
 * the unique index on (tenant, lower(email)) enforces one user per address and tenant.
 */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly database: Database) {}

  async save(user: User): Promise<void> {
    const { id, email, name, registeredAt } = user.toPrimitives();
    try {
      await this.database.query(
        `INSERT INTO users (tenant_id, id, email, name, registered_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name
         WHERE users.tenant_id = excluded.tenant_id`,
        [executionContext.tenantId(), id, email, name, registeredAt],
      );
    } catch (error) {
      if (uniqueViolation(error) === 'users_email_unique') throw new UserAlreadyExistsError(email);
      throw error;
    }
  }

  async findById(id: UserId): Promise<User | null> {
    const [row] = await this.database.query<UserRow>(
      'SELECT id, email, name, registered_at FROM users WHERE tenant_id = $1 AND id = $2',
      [executionContext.tenantId(), id.value],
    );
    return row
      ? User.fromPrimitives({
          id: row.id,
          email: row.email,
          name: row.name,
          registeredAt: row.registered_at.toISOString(),
        })
      : null;
  }
}
