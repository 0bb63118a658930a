/** Typed errors of the messaging adapter: callers and dead-letter readers branch on `code`, not on text. */
export abstract class MessagingError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bytes are not an event envelope: not UTF-8, not JSON, not an object, or a field is missing or mistyped. */
export class MalformedEventMessageError extends MessagingError {
  readonly code = 'MESSAGING_MALFORMED_EVENT_MESSAGE';
}

/** A well-formed envelope whose event name this service has no class for. */
export class UnknownEventNameError extends MessagingError {
  readonly code = 'MESSAGING_UNKNOWN_EVENT_NAME';

  constructor(readonly eventName: string) {
    super(`no event class is registered for "${eventName}"`);
  }
}

/** Written by a newer producer: reading it with an older class could silently drop what changed. */
export class UnsupportedEventVersionError extends MessagingError {
  readonly code = 'MESSAGING_UNSUPPORTED_EVENT_VERSION';

  constructor(
    readonly eventName: string,
    readonly version: number,
    readonly supportedVersion: number,
  ) {
    super(`"${eventName}" version ${version} is newer than the supported version ${supportedVersion}`);
  }
}

/** An event name that cannot be routed: it needs a bounded-context prefix (`<context>.<...>`). */
export class InvalidEventNameError extends MessagingError {
  readonly code = 'MESSAGING_INVALID_EVENT_NAME';
}

/** Wiring mistakes found at start-up (duplicate names, unregistered events) rather than in production traffic. */
export class MessagingConfigurationError extends MessagingError {
  readonly code = 'MESSAGING_CONFIGURATION';
}

/** The event's tenant is missing (tenancy required) or is not a valid tenant id. */
export class InvalidEventTenantError extends MessagingError {
  readonly code = 'MESSAGING_INVALID_EVENT_TENANT';
}

export class MissingUpcasterError extends MessagingError {
  readonly code = 'MESSAGING_MISSING_UPCASTER';

  constructor(
    readonly eventName: string,
    readonly fromVersion: number,
  ) {
    super(`"${eventName}" version ${fromVersion} cannot be read: no upcaster from version ${fromVersion}`);
  }
}
