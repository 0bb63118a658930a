import type { User } from '../../domain/users/user.aggregate';

/** The read model handed to adapters; decoupled from how the aggregate is stored. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  /** ISO-8601. */
  registeredAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id.value,
    email: user.email.value,
    name: user.name.value,
    registeredAt: user.registeredAt.toISOString(),
  };
}
