import {
  ConflictError,
  DomainError,
  DomainValidationError,
  InvalidArgumentError,
  InvalidEventPayloadError,
} from '../../../../src/domain/shared/domain-error';

describe('DomainError', () => {
  it('carries a stable code, the message and the concrete class name', () => {
    const error = new InvalidArgumentError('bad value');

    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainValidationError);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('bad value');
    expect(error.name).toBe('InvalidArgumentError');
  });

  it('keeps an unreadable event payload out of the validation family', () => {
    const error = new InvalidEventPayloadError('missing attribute');

    expect(error).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(DomainValidationError);
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error.code).toBe('INVALID_EVENT_PAYLOAD');
    expect(error.name).toBe('InvalidEventPayloadError');
  });
});
