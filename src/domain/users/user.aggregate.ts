import { AggregateRoot } from '../shared/aggregate-root';
import { Email } from './email.value-object';
import { UserId } from './user-id.value-object';
import { UserName } from './user-name.value-object';
import { UserRegisteredDomainEvent } from './user-registered.domain-event';
import { UserRenamedDomainEvent } from './user-renamed.domain-event';

export interface UserPrimitives {
  id: string;
  email: string;
  name: string;
  /** ISO-8601. */
  registeredAt: string;
}

export class User extends AggregateRoot {
  private constructor(
    private readonly _id: UserId,
    private readonly _email: Email,
    private _name: UserName,
    private readonly _registeredAt: Date,
  ) {
    super();
  }

  static register({ id, email, name }: { id: UserId; email: Email; name: UserName }): User {
    const user = new User(id, email, name, new Date());
    user.record(
      new UserRegisteredDomainEvent({
        aggregateId: id.value,
        occurredOn: user._registeredAt,
        email: email.value,
        name: name.value,
      }),
    );
    return user;
  }

  /** A change of name; giving the same name again changes nothing and records nothing. */
  rename(name: UserName): void {
    if (name.equals(this._name)) return;
    const previous = this._name;
    this._name = name;
    this.record(
      new UserRenamedDomainEvent({
        aggregateId: this._id.value,
        name: name.value,
        previousName: previous.value,
        email: this._email.value,
      }),
    );
  }

  /** Rehydrates a stored user; records nothing, because nothing new happened. */
  static fromPrimitives(primitives: UserPrimitives): User {
    return new User(
      new UserId(primitives.id),
      new Email(primitives.email),
      new UserName(primitives.name),
      new Date(primitives.registeredAt),
    );
  }

  get id(): UserId {
    return this._id;
  }

  get email(): Email {
    return this._email;
  }

  get name(): UserName {
    return this._name;
  }

  get registeredAt(): Date {
    return new Date(this._registeredAt.getTime());
  }

  toPrimitives(): UserPrimitives {
    return {
      id: this._id.value,
      email: this._email.value,
      name: this._name.value,
      registeredAt: this._registeredAt.toISOString(),
    };
  }
}
