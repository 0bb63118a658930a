import type { Email } from '../../../src/domain/users/email.value-object';
import { User, type UserPrimitives } from '../../../src/domain/users/user.aggregate';
import type { UserId } from '../../../src/domain/users/user-id.value-object';
import type { UserRepository } from '../../../src/domain/users/user.repository.port';

/** Stores primitives, like a real store would, so tests never share aggregate instances with it. */
export class FakeUserRepository implements UserRepository {
  private readonly users = new Map<string, UserPrimitives>();

  save(user: User): Promise<void> {
    this.users.set(user.id.value, user.toPrimitives());
    return Promise.resolve();
  }

  findById(id: UserId): Promise<User | null> {
    const stored = this.users.get(id.value);
    return Promise.resolve(stored ? User.fromPrimitives(stored) : null);
  }

  findByEmail(email: Email): Promise<User | null> {
    const stored = [...this.users.values()].find((user) => user.email === email.value);
    return Promise.resolve(stored ? User.fromPrimitives(stored) : null);
  }

  /** Test helper: everything saved so far, as primitives. */
  get savedUsers(): UserPrimitives[] {
    return [...this.users.values()];
  }
}
