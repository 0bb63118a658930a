import { AssignerProtocol, type GroupMemberAssignment, type PartitionAssigner } from 'kafkajs';

const NAME = 'EventBusRoundRobinAssigner';
const VERSION = 0;

/**
 * Round robin that honours what each member subscribed to. The bus lets one group subscribe to
 * several topics from separate consumers; kafkajs's own RoundRobinAssigner hands every member the
 * leader's topics instead, so members would get partitions of topics they never read. Here each
 * topic's partitions go only to the members subscribed to it, spread evenly across topics.
 */
export const subscriptionAwareAssigner: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: VERSION,

  async assign({ members }): Promise<GroupMemberAssignment[]> {
    const subscriptions = members.map(({ memberId, memberMetadata }) => ({
      memberId,
      topics: AssignerProtocol.MemberMetadata.decode(memberMetadata)?.topics ?? [],
    }));
    const topics = [...new Set(subscriptions.flatMap((subscription) => subscription.topics))].sort();
    // The leader's metadata covers only its own topics until asked for the others.
    await cluster.addMultipleTargetTopics(topics);

    const assignment = new Map<string, Record<string, number[]>>(
      members.map(({ memberId }) => [memberId, {}]),
    );
    let next = 0;
    for (const topic of topics) {
      const readers = subscriptions
        .filter((subscription) => subscription.topics.includes(topic))
        .map((subscription) => subscription.memberId)
        .sort();
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((metadata) => metadata.partitionId)
        .sort((a, b) => a - b);
      for (const partition of partitions) {
        const owned = assignment.get(readers[next++ % readers.length]!)!;
        (owned[topic] ??= []).push(partition);
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: VERSION,
        assignment: topicPartitions,
        userData: Buffer.alloc(0),
      }),
    }));
  },

  protocol({ topics }) {
    return {
      name: NAME,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: VERSION,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});
