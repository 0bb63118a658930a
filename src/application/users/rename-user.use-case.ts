import type { EventPublisher } from '../../domain/shared/event-publisher.port';
import { UserNotFoundError } from '../../domain/users/user.errors';
import { UserId } from '../../domain/users/user-id.value-object';
import { UserName } from '../../domain/users/user-name.value-object';
import type { UserRepository } from '../../domain/users/user.repository.port';
import type { UnitOfWork } from '../shared/unit-of-work';
import type { UseCase } from '../shared/use-case';
import { toUserView, type UserView } from './user-view';

export interface RenameUserCommand {
  id: string;
  name: string;
}

export class RenameUserUseCase implements UseCase<RenameUserCommand, UserView> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly userRepository: UserRepository,
    private readonly eventPublisher: EventPublisher,
  ) {}

  async execute(command: RenameUserCommand): Promise<UserView> {
    const name = new UserName(command.name);
    if (!UserId.isValid(command.id)) throw new UserNotFoundError(command.id);

    // Read, change and save in one transaction, with the events the change recorded.
    const user = await this.unitOfWork.transactionally(async () => {
      const found = await this.userRepository.findById(new UserId(command.id));
      if (!found) throw new UserNotFoundError(command.id);
      found.rename(name);
      await this.userRepository.save(found);
      await this.eventPublisher.publish(found.pullDomainEvents());
      return found;
    });

    return toUserView(user);
  }
}
