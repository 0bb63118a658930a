import { User } from '../../../domain/users/user.aggregate';
import { UserAlreadyExistsError } from '../../../domain/users/user.errors';
import type { UserId } from '../../../domain/users/user-id.value-object';
import type { UserRepository } from '../../../domain/users/user.repository.port';
import type { Database } from '../database/database';
import { uniqueViolation } from '../database/database-errors';

interface UserRow {
  id: string;
  email: string;
  name: string;
  registered_at: Date;
  [column: string]: unknown;
}

/** Users in the `users` table; the unique index on lower(email) enforces one user per address. */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly database: Database) {}

  async save(user: User): Promise<void> {
    const { id, email, name, registeredAt } = user.toPrimitives();
    try {
      await this.database.query(
        `INSERT INTO users (id, email, name, registered_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name`,
        [id, email, name, registeredAt],
      );
    } catch (error) {
      if (uniqueViolation(error) === 'users_email_unique') throw new UserAlreadyExistsError(email);
      throw error;
    }
  }

  async findById(id: UserId): Promise<User | null> {
    const [row] = await this.database.query<UserRow>(
      'SELECT id, email, name, registered_at FROM users WHERE id = $1',
      [id.value],
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
