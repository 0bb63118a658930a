/**
 * OpenTelemetry messaging semantic-convention attribute names. They are still "incubating" in the
 * conventions package (its incubating entry point may change in a minor release), so the few this
 * bus sets are spelled out here.
 */
export const MessagingAttribute = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
  bodySize: 'messaging.message.body.size',
  partition: 'messaging.destination.partition.id',
  kafkaOffset: 'messaging.kafka.offset',
  kafkaKey: 'messaging.kafka.message.key',
} as const;
