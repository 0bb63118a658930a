import { User } from '../../../../src/domain/users/user.aggregate';
import { UserName } from '../../../../src/domain/users/user-name.value-object';
import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { UserRenamedDomainEvent } from '../../../../src/domain/users/user-renamed.domain-event';
import { EmailMother } from '../../../support/mothers/users/email.mother';
import { UserIdMother } from '../../../support/mothers/users/user-id.mother';
import { UserNameMother } from '../../../support/mothers/users/user-name.mother';
import { UserMother } from '../../../support/mothers/users/user.mother';

describe('User', () => {
  describe('register', () => {
    it('records exactly one UserRegisteredDomainEvent describing the new user', () => {
      const id = UserIdMother.random();
      const email = EmailMother.random();
      const name = UserNameMother.random();

      const user = User.register({ id, email, name });
      const events = user.pullDomainEvents();

      expect(events).toHaveLength(1);
      const event = events[0] as UserRegisteredDomainEvent;
      expect(event).toBeInstanceOf(UserRegisteredDomainEvent);
      expect(event.aggregateId).toBe(id.value);
      expect(event.toPrimitives()).toEqual({ email: email.value, name: name.value });
      expect(event.occurredOn.getTime()).toBe(user.registeredAt.getTime());
    });

    it('has no events left after they were pulled', () => {
      const user = UserMother.registered();

      user.pullDomainEvents();

      expect(user.pullDomainEvents()).toEqual([]);
    });

    it('exposes its state through getters', () => {
      const id = UserIdMother.random();
      const email = EmailMother.random();
      const name = UserNameMother.random();

      const user = User.register({ id, email, name });

      expect(user.id.equals(id)).toBe(true);
      expect(user.email.equals(email)).toBe(true);
      expect(user.name.equals(name)).toBe(true);
    });
  });

  describe('primitives', () => {
    it('round-trips through toPrimitives and fromPrimitives', () => {
      const user = UserMother.registered();

      const rebuilt = User.fromPrimitives(user.toPrimitives());

      expect(rebuilt.toPrimitives()).toEqual(user.toPrimitives());
      expect(rebuilt.toPrimitives().registeredAt).toBe(user.registeredAt.toISOString());
    });

    it('records nothing when rehydrated, because nothing happened', () => {
      const user = UserMother.existing();

      expect(user.pullDomainEvents()).toEqual([]);
    });

    it('does not let callers mutate registeredAt through the getter', () => {
      const user = UserMother.existing({ registeredAt: new Date('2024-02-02T00:00:00.000Z') });

      user.registeredAt.setFullYear(1999);

      expect(user.toPrimitives().registeredAt).toBe('2024-02-02T00:00:00.000Z');
    });

    it('refuses stored data that breaks an invariant', () => {
      expect(() => User.fromPrimitives({ ...UserMother.existing().toPrimitives(), email: 'broken' })).toThrow(
        'Email must be a valid address',
      );
    });
  });

  describe('rename', () => {
    it('takes the new name and records one UserRenamedDomainEvent with the old and new name', () => {
      const user = UserMother.existing({ name: new UserName('Ada Lovelace') });

      user.rename(new UserName('Ada King'));

      expect(user.name.value).toBe('Ada King');
      const events = user.pullDomainEvents();
      expect(events).toHaveLength(1);
      const event = events[0] as UserRenamedDomainEvent;
      expect(event).toBeInstanceOf(UserRenamedDomainEvent);
      expect(event.aggregateId).toBe(user.id.value);
      expect(event.toPrimitives()).toEqual({
        name: 'Ada King',
        previousName: 'Ada Lovelace',
        email: user.email.value,
      });
    });

    it('changes nothing and records nothing when the name is the same', () => {
      const user = UserMother.existing({ name: new UserName('Ada Lovelace') });

      user.rename(new UserName('  Ada Lovelace '));

      expect(user.pullDomainEvents()).toEqual([]);
      expect(user.name.value).toBe('Ada Lovelace');
    });
  });
});
