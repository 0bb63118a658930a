import type { User } from './user.aggregate';
import type { UserId } from './user-id.value-object';

export interface UserRepository {
  /**
   * Stores the user (new or changed). Rejects with UserAlreadyExistsError when another user has the
   * same email: the store enforces the rule, so two concurrent registrations cannot both pass.
   */
  save(user: User): Promise<void>;
  findById(id: UserId): Promise<User | null>;
}
