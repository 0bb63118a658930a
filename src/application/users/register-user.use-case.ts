import type { EventPublisher } from '../../domain/shared/event-publisher.port';
import { Email } from '../../domain/users/email.value-object';
import { User } from '../../domain/users/user.aggregate';
import { UserId } from '../../domain/users/user-id.value-object';
import { UserName } from '../../domain/users/user-name.value-object';
import type { UserRepository } from '../../domain/users/user.repository.port';
import type { UnitOfWork } from '../shared/unit-of-work';
import type { UseCase } from '../shared/use-case';

export interface RegisterUserCommand {
  email: string;
  name: string;
}

export interface RegisterUserResult {
  id: string;
}

export class RegisterUserUseCase implements UseCase<RegisterUserCommand, RegisterUserResult> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly userRepository: UserRepository,
    private readonly eventPublisher: EventPublisher,
  ) {}

  async execute(command: RegisterUserCommand): Promise<RegisterUserResult> {
    const email = new Email(command.email);
    const name = new UserName(command.name);
    const user = User.register({ id: UserId.generate(), email, name });

    // The user and its UserRegistered event commit together: a duplicate email (rejected by the
    // repository) stores neither, and a crash after the commit still publishes the event later.
    await this.unitOfWork.transactionally(async () => {
      await this.userRepository.save(user);
      await this.eventPublisher.publish(user.pullDomainEvents());
    });

    return { id: user.id.value };
  }
}
