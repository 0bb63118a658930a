import type { Email } from '../../domain/users/email.value-object';
import { User, type UserPrimitives } from '../../domain/users/user.aggregate';
import type { UserId } from '../../domain/users/user-id.value-object';
import type { UserRepository } from '../../domain/users/user.repository.port';

/**
 * Keeps primitives, never aggregate instances, so a caller mutating what it saved or loaded cannot
 * change the stored state: every read rebuilds a fresh aggregate, as a real database would.
 */
export class InMemoryUserRepository implements UserRepository {
  private readonly users = new Map<string, Readonly<UserPrimitives>>();

  save(user: User): Promise<void> {
    const primitives = Object.freeze(user.toPrimitives());
    this.users.set(primitives.id, primitives);
    return Promise.resolve();
  }

  findById(id: UserId): Promise<User | null> {
    return Promise.resolve(rehydrate(this.users.get(id.value)));
  }

  findByEmail(email: Email): Promise<User | null> {
    // Both sides went through the Email value object, so they are normalized (trimmed, lower-cased).
    const stored = [...this.users.values()].find((user) => user.email === email.value);
    return Promise.resolve(rehydrate(stored));
  }
}

function rehydrate(stored: UserPrimitives | undefined): User | null {
  return stored ? User.fromPrimitives(stored) : null;
}
