import { getDefaultNatsConfig, type NatsJetStreamConfig } from '../../../../../src/infrastructure/eventbus';
import {
  consumerSettingsFor,
  settingsDifferences,
  STREAM_COMPARED,
  streamSettingsFor,
} from '../../../../../src/infrastructure/eventbus/nats/nats-jetstream-settings';

const MS = 1_000_000;

function jetstream(adjust: Partial<NatsJetStreamConfig> = {}): NatsJetStreamConfig {
  return { ...getDefaultNatsConfig(['host:4222']).nats!.jetstream, ...adjust };
}

describe('JetStream settings from eventbus.nats.jetstream', () => {
  it('builds one stream per topic holding exactly the topic subject', () => {
    expect(streamSettingsFor('users.events', 'users_events__x', jetstream())).toEqual({
      name: 'users_events__x',
      description: 'eventbus topic "users.events"',
      subjects: ['users.events'],
      storage: 'file',
      retention: 'limits',
      max_age: 24 * 3_600_000 * MS,
      num_replicas: 1,
      duplicate_window: 120_000 * MS,
    });
  });

  it('caps the duplicate window at a shorter max age and leaves a 0 window to the server', () => {
    expect(streamSettingsFor('t', 't', jetstream({ maxAge: 30_000 })).duplicate_window).toBe(30_000 * MS);
    expect(streamSettingsFor('t', 't', jetstream({ duplicateWindow: 0 }))).not.toHaveProperty(
      'duplicate_window',
    );
  });

  it('builds a durable, explicitly acknowledged pull consumer filtered on the topic', () => {
    expect(consumerSettingsFor('users.events', 'billing', 'billing', 'earliest', jetstream())).toEqual({
      durable_name: 'billing',
      description: 'eventbus group "billing" on topic "users.events"',
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: 'users.events',
      ack_wait: 30_000 * MS,
      max_deliver: 100,
      max_ack_pending: 1000,
      inactive_threshold: 24 * 3_600_000 * MS,
    });
    expect(consumerSettingsFor('t', 'g', 'g', 'latest', jetstream()).deliver_policy).toBe('new');
  });

  it('removes idle consumers only where that loses nothing: limits retention with a max age', () => {
    expect(consumerSettingsFor('t', 'g', 'g', 'earliest', jetstream({ maxAge: 0 })).inactive_threshold).toBe(
      0,
    );
    expect(
      consumerSettingsFor('t', 'g', 'g', 'earliest', jetstream({ retention: 'interest' })).inactive_threshold,
    ).toBe(0);
  });

  it('lists the settings that differ, treating absent and 0 alike', () => {
    const wanted = streamSettingsFor('t', 't', jetstream());
    expect(settingsDifferences(wanted, { ...wanted }, STREAM_COMPARED)).toEqual([]);
    expect(
      settingsDifferences(wanted, { ...wanted, storage: 'memory', max_age: 0 }, STREAM_COMPARED),
    ).toEqual([
      'storage is "memory", config wants "file"',
      `max_age is 0, config wants ${24 * 3_600_000 * MS}`,
    ]);
    expect(settingsDifferences({ inactive_threshold: 0 }, {}, ['inactive_threshold'])).toEqual([]);
  });
});
