import { RegisterUserUseCase } from '../../../../src/application/users/register-user.use-case';
import type { DomainEvent } from '../../../../src/domain/shared/domain-event';
import type { User } from '../../../../src/domain/users/user.aggregate';
import {
  UserAlreadyExistsError,
  InvalidEmailError,
  InvalidUserNameError,
} from '../../../../src/domain/users/user.errors';
import { UserId } from '../../../../src/domain/users/user-id.value-object';
import { FakeEventPublisher } from '../../../support/fakes/fake-event-publisher';
import { FakeUnitOfWork } from '../../../support/fakes/fake-unit-of-work';
import { FakeUserRepository } from '../../../support/fakes/fake-user.repository';
import { EmailMother } from '../../../support/mothers/users/email.mother';
import { RegisterUserCommandMother } from '../../../support/mothers/users/register-user-command.mother';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';
import { UserMother } from '../../../support/mothers/users/user.mother';

describe('RegisterUserUseCase', () => {
  let unitOfWork: FakeUnitOfWork;
  let repository: FakeUserRepository;
  let publisher: FakeEventPublisher;
  let useCase: RegisterUserUseCase;

  beforeEach(() => {
    unitOfWork = new FakeUnitOfWork();
    repository = new FakeUserRepository();
    publisher = new FakeEventPublisher();
    useCase = new RegisterUserUseCase(unitOfWork, repository, publisher);
  });

  it('saves the user and returns its new id', async () => {
    const command = RegisterUserCommandMother.create();

    const { id } = await useCase.execute(command);

    expect(UserId.isValid(id)).toBe(true);
    expect(repository.savedUsers).toEqual([
      { id, email: command.email, name: command.name, registeredAt: expect.any(String) as string },
    ]);
  });

  it('publishes one UserRegisteredDomainEvent for the new user', async () => {
    const command = RegisterUserCommandMother.create();

    const { id } = await useCase.execute(command);

    publisher.assertLastPublishedEvents(
      UserRegisteredDomainEventMother.create({ aggregateId: id, email: command.email, name: command.name }),
    );
    expect(publisher.publishedEvents).toHaveLength(1);
  });

  it('saves the user and publishes its event inside one unit of work', async () => {
    const insideUnit: Record<string, boolean> = {};
    const save = repository.save.bind(repository);
    jest.spyOn(repository, 'save').mockImplementation((user: User) => {
      insideUnit.save = unitOfWork.active;
      return save(user);
    });
    const publish = publisher.publish.bind(publisher);
    jest.spyOn(publisher, 'publish').mockImplementation((events: readonly DomainEvent[]) => {
      insideUnit.publish = unitOfWork.active;
      return publish(events);
    });

    await useCase.execute(RegisterUserCommandMother.create());

    expect(insideUnit).toEqual({ save: true, publish: true });
    expect(unitOfWork.committed).toBe(1);
    expect(unitOfWork.rolledBack).toBe(0);
    expect(unitOfWork.active).toBe(false);
  });

  it('stores and announces the normalized email', async () => {
    const command = RegisterUserCommandMother.create({ email: '  Ada@Example.COM ', name: ' Ada ' });

    const { id } = await useCase.execute(command);

    expect(repository.savedUsers[0]).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    publisher.assertLastPublishedEvents(
      UserRegisteredDomainEventMother.create({ aggregateId: id, email: 'ada@example.com', name: 'Ada' }),
    );
  });

  it.each(['taken@example.com', 'Taken@Example.COM', '  TAKEN@example.com '])(
    'rejects the registered email %p, publishes nothing and rolls the unit back',
    async (email) => {
      const existing = UserMother.existing({ email: EmailMother.create('taken@example.com') });
      await repository.save(existing);

      await expect(useCase.execute(RegisterUserCommandMother.create({ email }))).rejects.toThrow(
        UserAlreadyExistsError,
      );

      expect(repository.savedUsers).toEqual([existing.toPrimitives()]);
      publisher.assertNothingPublished();
      expect(unitOfWork.rolledBack).toBe(1);
      expect(unitOfWork.committed).toBe(0);
    },
  );

  it('rejects an invalid email without saving or publishing', async () => {
    await expect(useCase.execute(RegisterUserCommandMother.withInvalidEmail())).rejects.toThrow(
      InvalidEmailError,
    );

    expect(repository.savedUsers).toEqual([]);
    publisher.assertNothingPublished();
  });

  it('rejects a blank name without saving or publishing', async () => {
    await expect(useCase.execute(RegisterUserCommandMother.create({ name: '  ' }))).rejects.toThrow(
      InvalidUserNameError,
    );

    expect(repository.savedUsers).toEqual([]);
    publisher.assertNothingPublished();
  });

  it('gives each registration its own id', async () => {
    const first = await useCase.execute(RegisterUserCommandMother.create());
    const second = await useCase.execute(RegisterUserCommandMother.create());

    expect(first.id).not.toBe(second.id);
    expect(publisher.publishedEvents.map((event) => event.aggregateId)).toEqual([first.id, second.id]);
  });
});
