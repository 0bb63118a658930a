import { User, type UserPrimitives } from '../../../src/domain/users/user.aggregate';
import { UserAlreadyExistsError } from '../../../src/domain/users/user.errors';
import type { UserId } from '../../../src/domain/users/user-id.value-object';
import type { UserRepository } from '../../../src/domain/users/user.repository.port';

/**
 * Stores primitives, like a real store would, so tests never share aggregate instances with it.
 * Enforces one user per email as the database's unique index does.
 */
export class FakeUserRepository implements UserRepository {
  private readonly users = new Map<string, UserPrimitives>();

  save(user: User): Promise<void> {
    const primitives = user.toPrimitives();
    // Email values are normalized (trimmed, lower-cased) by the value object, so equality is enough.
    const taken = this.savedUsers.some(
      (other) => other.email === primitives.email && other.id !== primitives.id,
    );
    if (taken) return Promise.reject(new UserAlreadyExistsError(primitives.email));
    this.users.set(primitives.id, primitives);
    return Promise.resolve();
  }

  findById(id: UserId): Promise<User | null> {
    const stored = this.users.get(id.value);
    return Promise.resolve(stored ? User.fromPrimitives(stored) : null);
  }

  /** Test helper: everything saved so far, as primitives. */
  get savedUsers(): UserPrimitives[] {
    return [...this.users.values()];
  }
}
