import type { Email } from './email.value-object';
import type { User } from './user.aggregate';
import type { UserId } from './user-id.value-object';

export interface UserRepository {
  save(user: User): Promise<void>;
  findById(id: UserId): Promise<User | null>;
  findByEmail(email: Email): Promise<User | null>;
}
