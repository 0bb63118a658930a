import { UserName } from '../../../../src/domain/users/user-name.value-object';
import { InMemoryUserRepository } from '../../../../src/infrastructure/persistence/in-memory-user.repository';
import { EmailMother } from '../../../support/mothers/users/email.mother';
import { UserIdMother } from '../../../support/mothers/users/user-id.mother';
import { UserMother } from '../../../support/mothers/users/user.mother';

describe('InMemoryUserRepository', () => {
  let repository: InMemoryUserRepository;

  beforeEach(() => {
    repository = new InMemoryUserRepository();
  });

  it('finds a saved user by id, as an equal but distinct aggregate', async () => {
    const user = UserMother.existing();

    await repository.save(user);
    const found = await repository.findById(user.id);

    expect(found).not.toBe(user);
    expect(found?.toPrimitives()).toEqual(user.toPrimitives());
  });

  it('returns null for an unknown id or email', async () => {
    await repository.save(UserMother.existing());

    expect(await repository.findById(UserIdMother.random())).toBeNull();
    expect(await repository.findByEmail(EmailMother.random())).toBeNull();
  });

  it('finds a user by email whatever the case and spacing the caller typed', async () => {
    const user = UserMother.existing({ email: EmailMother.create('ada@example.com') });
    await repository.save(user);

    const found = await repository.findByEmail(EmailMother.create('  ADA@Example.COM '));

    expect(found?.id.equals(user.id)).toBe(true);
  });

  it('does not let a mutated loaded aggregate change what is stored', async () => {
    const user = UserMother.existing({ name: new UserName('Ada Lovelace') });
    await repository.save(user);
    const loaded = await repository.findById(user.id);

    // Simulates a caller bug: writes through the private field at run time.
    (loaded as unknown as { _name: UserName })._name = new UserName('Mallory');

    expect((await repository.findById(user.id))?.name.value).toBe('Ada Lovelace');
  });

  it('does not hand back the events still pending on the saved aggregate', async () => {
    const user = UserMother.registered();
    await repository.save(user);

    const loaded = await repository.findById(user.id);

    expect(loaded?.pullDomainEvents()).toEqual([]);
    expect(user.pullDomainEvents()).toHaveLength(1);
  });

  it('replaces a user saved again under the same id', async () => {
    const id = UserIdMother.random();
    await repository.save(UserMother.existing({ id, email: EmailMother.create('old@example.com') }));

    await repository.save(UserMother.existing({ id, email: EmailMother.create('new@example.com') }));

    expect((await repository.findById(id))?.email.value).toBe('new@example.com');
    expect(await repository.findByEmail(EmailMother.create('old@example.com'))).toBeNull();
  });
});
