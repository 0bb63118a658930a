import { ConflictError, DomainValidationError, NotFoundError } from '../shared/domain-error';

export class InvalidEmailError extends DomainValidationError {
  readonly code = 'USER_INVALID_EMAIL';
}

export class InvalidUserNameError extends DomainValidationError {
  readonly code = 'USER_INVALID_NAME';
}

export class UserAlreadyExistsError extends ConflictError {
  readonly code = 'USER_ALREADY_EXISTS';

  constructor(email: string) {
    super(`A user with email "${email}" already exists`);
  }
}

export class UserNotFoundError extends NotFoundError {
  readonly code = 'USER_NOT_FOUND';

  constructor(id: string) {
    super(`User "${id}" was not found`);
  }
}
