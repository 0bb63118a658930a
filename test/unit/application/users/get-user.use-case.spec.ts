import { GetUserUseCase } from '../../../../src/application/users/get-user.use-case';
import { UserNotFoundError } from '../../../../src/domain/users/user.errors';
import { FakeUserRepository } from '../../../support/fakes/fake-user.repository';
import { UserIdMother } from '../../../support/mothers/users/user-id.mother';
import { UserMother } from '../../../support/mothers/users/user.mother';

describe('GetUserUseCase', () => {
  let repository: FakeUserRepository;
  let useCase: GetUserUseCase;

  beforeEach(() => {
    repository = new FakeUserRepository();
    useCase = new GetUserUseCase(repository);
  });

  it('returns the view of a stored user', async () => {
    const user = UserMother.existing({ registeredAt: new Date('2024-04-04T04:04:04.000Z') });
    await repository.save(user);

    const view = await useCase.execute({ id: user.id.value });

    expect(view).toEqual({
      id: user.id.value,
      email: user.email.value,
      name: user.name.value,
      registeredAt: '2024-04-04T04:04:04.000Z',
    });
  });

  it('finds the user whatever the case of the id', async () => {
    const user = UserMother.existing();
    await repository.save(user);

    const view = await useCase.execute({ id: user.id.value.toUpperCase() });

    expect(view.id).toBe(user.id.value);
  });

  it('reports an unknown id as not found', async () => {
    await repository.save(UserMother.existing());
    const unknownId = UserIdMother.random().value;

    await expect(useCase.execute({ id: unknownId })).rejects.toThrow(UserNotFoundError);
    await expect(useCase.execute({ id: unknownId })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it.each(['not-a-uuid', '', '../etc/passwd'])('reports the malformed id %p as not found', async (id) => {
    await expect(useCase.execute({ id })).rejects.toThrow(UserNotFoundError);
  });
});
