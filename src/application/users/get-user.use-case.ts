import { UserNotFoundError } from '../../domain/users/user.errors';
import { UserId } from '../../domain/users/user-id.value-object';
import type { UserRepository } from '../../domain/users/user.repository.port';
import type { UseCase } from '../shared/use-case';
import { toUserView, type UserView } from './user-view';

export interface GetUserQuery {
  id: string;
}

export class GetUserUseCase implements UseCase<GetUserQuery, UserView> {
  constructor(private readonly userRepository: UserRepository) {}

  async execute(query: GetUserQuery): Promise<UserView> {
    // A malformed id cannot name an existing user, so the caller gets "not found", not a validation error.
    if (!UserId.isValid(query.id)) {
      throw new UserNotFoundError(query.id);
    }
    const user = await this.userRepository.findById(new UserId(query.id));
    if (!user) {
      throw new UserNotFoundError(query.id);
    }
    return toUserView(user);
  }
}
