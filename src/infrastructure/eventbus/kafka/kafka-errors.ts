import { EventBusError } from '../errors';

/** The broker could not be reached, or refused us (authentication, TLS), when the bus connected. */
export class KafkaConnectionError extends EventBusError {
  readonly code = 'EVENTBUS_KAFKA_CONNECTION';
}

/** `kafka.topics.autoCreate` is false and the topic does not exist. */
export class KafkaTopicMissingError extends EventBusError {
  readonly code = 'EVENTBUS_KAFKA_TOPIC_MISSING';

  constructor(readonly topic: string) {
    super(
      `topic "${topic}" does not exist and eventbus.kafka.topics.autoCreate is false: create it on the broker first`,
    );
  }
}
