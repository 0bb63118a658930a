import { RenameUserUseCase } from '../../../../src/application/users/rename-user.use-case';
import { UserRenamedDomainEvent } from '../../../../src/domain/users/user-renamed.domain-event';
import { InvalidUserNameError, UserNotFoundError } from '../../../../src/domain/users/user.errors';
import { UserName } from '../../../../src/domain/users/user-name.value-object';
import { FakeEventPublisher } from '../../../support/fakes/fake-event-publisher';
import { FakeUnitOfWork } from '../../../support/fakes/fake-unit-of-work';
import { FakeUserRepository } from '../../../support/fakes/fake-user.repository';
import { UserMother } from '../../../support/mothers/users/user.mother';

describe('RenameUserUseCase', () => {
  let unitOfWork: FakeUnitOfWork;
  let repository: FakeUserRepository;
  let publisher: FakeEventPublisher;
  let useCase: RenameUserUseCase;

  beforeEach(() => {
    unitOfWork = new FakeUnitOfWork();
    repository = new FakeUserRepository();
    publisher = new FakeEventPublisher();
    useCase = new RenameUserUseCase(unitOfWork, repository, publisher);
  });

  async function storedUser(name = 'Ada Lovelace') {
    const user = UserMother.existing({ name: new UserName(name) });
    await repository.save(user);
    return user;
  }

  it('saves the new name, publishes UserRenamed and returns the user', async () => {
    const user = await storedUser();

    const view = await useCase.execute({ id: user.id.value, name: 'Ada King' });

    expect(view).toEqual({ ...user.toPrimitives(), name: 'Ada King' });
    expect(repository.savedUsers).toEqual([{ ...user.toPrimitives(), name: 'Ada King' }]);
    publisher.assertLastPublishedEvents(
      new UserRenamedDomainEvent({
        aggregateId: user.id.value,
        name: 'Ada King',
        previousName: 'Ada Lovelace',
        email: user.email.value,
      }),
    );
  });

  it('reads, saves and publishes inside one unit of work', async () => {
    const user = await storedUser();
    const seen: boolean[] = [];
    for (const method of ['findById', 'save'] as const) {
      const original = repository[method].bind(repository) as (...args: unknown[]) => Promise<unknown>;
      jest.spyOn(repository, method).mockImplementation((...args: unknown[]) => {
        seen.push(unitOfWork.active);
        return original(...args) as never;
      });
    }

    await useCase.execute({ id: user.id.value, name: 'Ada King' });

    expect(seen).toEqual([true, true]);
  });

  it('publishes nothing when the name does not change', async () => {
    const user = await storedUser('Ada Lovelace');

    await useCase.execute({ id: user.id.value, name: 'Ada Lovelace' });

    expect(publisher.publishedEvents).toEqual([]);
  });

  it('rejects an unknown or malformed id as not found', async () => {
    await expect(useCase.execute({ id: crypto.randomUUID(), name: 'Ada' })).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    await expect(useCase.execute({ id: 'not-a-uuid', name: 'Ada' })).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    publisher.assertNothingPublished();
  });

  it('rejects an invalid name before touching the store', async () => {
    const user = await storedUser();
    const find = jest.spyOn(repository, 'findById');

    await expect(useCase.execute({ id: user.id.value, name: '  ' })).rejects.toBeInstanceOf(
      InvalidUserNameError,
    );
    expect(find).not.toHaveBeenCalled();
  });
});
