import { UserName } from '../../../../src/domain/users/user-name.value-object';
import { randomFullName } from '../random';

export class UserNameMother {
  static random(): UserName {
    return new UserName(randomFullName());
  }
}
