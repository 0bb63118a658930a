import type { EventPublisher } from '../../domain/shared/event-publisher.port';
import { Email } from '../../domain/users/email.value-object';
import { User } from '../../domain/users/user.aggregate';
import { UserAlreadyExistsError } from '../../domain/users/user.errors';
import { UserId } from '../../domain/users/user-id.value-object';
import { UserName } from '../../domain/users/user-name.value-object';
import type { UserRepository } from '../../domain/users/user.repository.port';
import type { UseCase } from '../shared/use-case';
import type { RegisterUserCommand } from './register-user.command';

export interface RegisterUserResult {
  id: string;
}

export class RegisterUserUseCase implements UseCase<RegisterUserCommand, RegisterUserResult> {
  constructor(
    private readonly userRepository: UserRepository,
    private readonly eventPublisher: EventPublisher,
  ) {}

  async execute(command: RegisterUserCommand): Promise<RegisterUserResult> {
    const email = new Email(command.email);
    const name = new UserName(command.name);

    // Check-then-save is not atomic: two concurrent requests can both pass. A store with a unique
    // index on email closes that race; the check gives the common case a clear error.
    if (await this.userRepository.findByEmail(email)) {
      throw new UserAlreadyExistsError(email.value);
    }

    const user = User.register({ id: UserId.generate(), email, name });
    // Saved first so no event announces a user that was never stored. A crash between the two lines
    // loses the event; a transactional outbox is the fix when that matters.
    await this.userRepository.save(user);
    await this.eventPublisher.publish(user.pullDomainEvents());

    return { id: user.id.value };
  }
}
