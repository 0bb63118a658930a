import { Email } from '../../../../src/domain/users/email.value-object';
import { nextSequence, randomElement } from '../random';

const DOMAINS = ['example.com', 'example.org', 'mail.example.net'];

export class EmailMother {
  static randomValue(): string {
    return `user.${nextSequence()}@${randomElement(DOMAINS)}`;
  }

  static random(): Email {
    return new Email(EmailMother.randomValue());
  }

  static create(value: string): Email {
    return new Email(value);
  }
}
