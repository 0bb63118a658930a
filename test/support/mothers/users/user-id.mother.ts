import { UserId } from '../../../../src/domain/users/user-id.value-object';
import { randomUuid } from '../random';

export class UserIdMother {
  static random(): UserId {
    return new UserId(randomUuid());
  }
}
