import { Uuid } from '../shared/uuid.value-object';

export class UserId extends Uuid {
  static generate(): UserId {
    return new UserId(crypto.randomUUID());
  }
}
