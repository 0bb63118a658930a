import { Uuid } from '../shared/uuid.value-object';

export class NotificationId extends Uuid {
  static generate(): NotificationId {
    return new NotificationId(crypto.randomUUID());
  }
}
