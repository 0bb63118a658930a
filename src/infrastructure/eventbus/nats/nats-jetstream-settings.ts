import { nanos } from '@nats-io/transport-node';
import { type ConsumerConfig, type StreamConfig } from '@nats-io/jetstream';
import { type NatsJetStreamConfig } from '../config/event-bus.config';

export type StreamSettings = Partial<StreamConfig> & { name: string };
export type ConsumerSettings = Partial<ConsumerConfig> & { durable_name: string };

/** Marks what the bus created, so operators can tell its streams and consumers apart. */
const CREATED_BY = 'eventbus';

/**
 * One stream per topic holding exactly the topic's subject. JetStream refuses a duplicate window
 * longer than the max age, so the window is capped at a non-zero max age.
 */
export function streamSettingsFor(topic: string, name: string, config: NatsJetStreamConfig): StreamSettings {
  const duplicateWindow =
    config.maxAge > 0 ? Math.min(config.duplicateWindow, config.maxAge) : config.duplicateWindow;
  return {
    name,
    description: `${CREATED_BY} topic "${topic}"`,
    subjects: [topic],
    storage: config.storage,
    retention: config.retention,
    max_age: nanos(config.maxAge),
    num_replicas: config.replicas,
    // 0 leaves the server default (2 minutes): JetStream has no way to switch de-duplication off.
    ...(duplicateWindow > 0 ? { duplicate_window: nanos(duplicateWindow) } : {}),
  };
}

/**
 * A durable pull consumer for one group on one topic, acknowledged explicitly. `startFrom` only
 * matters when the consumer is created: an existing group continues where it stopped.
 *
 * An idle durable is removed after `maxAge` without a subscriber on a `limits` stream: by then every
 * message it has not seen is either still in the stream (and a re-created consumer starting from the
 * beginning gets it) or expired anyway, so nothing is lost, and per-instance groups (the health
 * checker's) do not pile up on the server.
 */
export function consumerSettingsFor(
  topic: string,
  group: string,
  durableName: string,
  startFrom: 'earliest' | 'latest',
  config: NatsJetStreamConfig,
): ConsumerSettings {
  const removeWhenIdle = config.retention === 'limits' && config.maxAge > 0;
  return {
    durable_name: durableName,
    description: `${CREATED_BY} group "${group}" on topic "${topic}"`,
    ack_policy: 'explicit',
    deliver_policy: startFrom === 'latest' ? 'new' : 'all',
    filter_subject: topic,
    ack_wait: nanos(config.ackWait),
    max_deliver: config.maxDeliver,
    max_ack_pending: config.maxAckPending,
    inactive_threshold: removeWhenIdle ? nanos(config.maxAge) : 0,
  };
}

/** What differs between the settings the bus wants and the ones a stream or consumer has. */
export function settingsDifferences<T extends object>(
  wanted: T,
  actual: Partial<T>,
  keys: readonly (keyof T & string)[],
): string[] {
  const differences: string[] = [];
  for (const key of keys) {
    const want = wanted[key];
    const have = actual[key];
    if (want === undefined || sameValue(want, have)) continue;
    differences.push(`${key} is ${JSON.stringify(have ?? null)}, config wants ${JSON.stringify(want)}`);
  }
  return differences;
}

/** JetStream leaves unset settings out of its answers: absent and 0 mean the same. */
function sameValue(want: unknown, have: unknown): boolean {
  if ((want === 0 && have === undefined) || (want === undefined && have === 0)) return true;
  if (Array.isArray(want) && Array.isArray(have)) {
    return want.length === have.length && want.every((value, index) => value === have[index]);
  }
  return want === have;
}

/** Settings of an existing stream the bus compares (and reports) but never changes. */
export const STREAM_COMPARED = [
  'storage',
  'retention',
  'max_age',
  'num_replicas',
  'duplicate_window',
] as const;

/** Settings of an existing consumer the bus brings in line with its config (JetStream can update them). */
export const CONSUMER_UPDATED = ['ack_wait', 'max_deliver', 'max_ack_pending', 'inactive_threshold'] as const;
