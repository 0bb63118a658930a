/**
 * A broken business rule. `code` is a stable identifier that adapters map (HTTP status, dead-letter
 * reason) without parsing messages; the domain itself knows nothing about transports.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks an invariant (a value object refused it). */
export abstract class DomainValidationError extends DomainError {}

/** The operation clashes with existing state, e.g. a uniqueness rule. */
export abstract class ConflictError extends DomainError {}

/** The addressed entity does not exist. */
export abstract class NotFoundError extends DomainError {}

/** Generic value-object validation failure, for values without a context-specific error. */
export class InvalidArgumentError extends DomainValidationError {
  readonly code = 'INVALID_ARGUMENT';
}

/**
 * A serialized event cannot be rebuilt. Not a validation error: it comes from a broker, not from a
 * caller, so the messaging layer dead-letters it instead of reporting it to anyone.
 */
export class InvalidEventPayloadError extends DomainError {
  readonly code = 'INVALID_EVENT_PAYLOAD';
}
