/** Typed errors of the event bus: callers can branch on `code` without parsing messages. */
export abstract class EventBusError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidTopicError extends EventBusError {
  readonly code = 'EVENTBUS_INVALID_TOPIC';
}

export class InvalidMessageError extends EventBusError {
  readonly code = 'EVENTBUS_INVALID_MESSAGE';
}

export class MessageTooLargeError extends EventBusError {
  readonly code = 'EVENTBUS_MESSAGE_TOO_LARGE';

  constructor(
    readonly topic: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message of ${size} bytes for topic "${topic}" exceeds the limit of ${limit} bytes`);
  }
}

export class EventBusClosedError extends EventBusError {
  readonly code = 'EVENTBUS_CLOSED';

  constructor(operation: string) {
    super(`cannot ${operation}: the event bus is closed`);
  }
}

export class PublishAbortedError extends EventBusError {
  readonly code = 'EVENTBUS_PUBLISH_ABORTED';

  constructor(readonly topic: string) {
    super(`publish to "${topic}" was aborted`);
  }
}

export class HealthCheckFailedError extends EventBusError {
  readonly code = 'EVENTBUS_UNHEALTHY';
}

export class BackendNotImplementedError extends EventBusError {
  readonly code = 'EVENTBUS_BACKEND_NOT_IMPLEMENTED';

  constructor(type: string) {
    super(`event bus type "${type}" is not implemented yet; use "memory"`);
  }
}

export class InvalidSubscriptionError extends EventBusError {
  readonly code = 'EVENTBUS_INVALID_SUBSCRIPTION';
}

/** A handler attempt ran past its time limit (Kafka: `maxProcessingTime`); it counts as a failed attempt. */
export class HandlerTimeoutError extends EventBusError {
  readonly code = 'EVENTBUS_HANDLER_TIMEOUT';
}
