import { Kafka, logLevel, type Admin } from 'kafkajs';
import { EventBusClosedError, type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

const ignore = (): Promise<void> => Promise.resolve();

/**
 * A close() that lands while a consumer is joining its group must still take that consumer out of
 * the group: one left behind keeps fetching and heartbeating after the bus is gone.
 */
describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'a bus closed while its consumer joins a group', (brokers) => {
    let admin: Admin;
    const buses: KafkaEventBus[] = [];

    beforeAll(async () => {
      admin = new Kafka({
        clientId: 'group-observer',
        brokers: brokers(),
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
    });

    afterAll(async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      await admin.disconnect();
    });

    const connect = async (): Promise<KafkaEventBus> => {
      const bus = await connectBus(brokers());
      buses.push(bus);
      return bus;
    };

    const groupState = async (group: string): Promise<{ state: string; members: number }> => {
      const [description] = (await admin.describeGroups([group])).groups;
      return { state: description?.state ?? 'Dead', members: description?.members.length ?? 0 };
    };

    it('leaves no member behind when the close lands during the rebalance the join started', async () => {
      const topic = uniqueName('joining');
      const group = uniqueName('joining-group');
      // A member already in the group: the next join waits for it to rejoin, a window to close in.
      const member = await connect();
      await member.subscribe(topic, ignore, { group });

      const bus = await connect();
      const subscribing = bus.subscribe(topic, ignore, { group }).then(
        () => 'subscribed',
        (error: unknown) => error,
      );
      await waitFor(async () => (await groupState(group)).state === 'PreparingRebalance', {
        timeout: 20_000,
        interval: 5,
        message: 'the second join never began a rebalance',
      });
      await bus.close();
      expect(await subscribing).toBeInstanceOf(EventBusClosedError);
      await member.close();

      // Closing leaves the group at once; a member still there is a consumer nothing stops any more.
      expect(await groupState(group)).toEqual({ state: 'Empty', members: 0 });
    });
  }),
);
