import type { GroupAssignment, GroupPartitionsAssigner } from '@platformatic/kafka' with {
  'resolution-mode': 'import',
};

/**
 * Round robin that honours what each member subscribed to. The bus lets one group subscribe to
 * several topics from separate consumers; the client's own round robin spreads only the leader's
 * topics over every member, so members would get partitions of topics they never read. Here each
 * topic's partitions go only to the members subscribed to it, spread evenly across topics.
 */
export const subscriptionAwareAssigner: GroupPartitionsAssigner = (_leader, members, _topics, metadata) => {
  const memberIds = [...members.keys()].sort();
  const assignments = new Map(memberIds.map((id) => [id, new Map<string, GroupAssignment>()]));
  const topics = [...new Set([...members.values()].flatMap((member) => member.topics ?? []))].sort();
  let next = 0;
  for (const topic of topics) {
    const readers = memberIds.filter((id) => members.get(id)!.topics?.includes(topic));
    const partitionsCount = metadata.topics.get(topic)?.partitionsCount ?? 0;
    for (let partition = 0; partition < partitionsCount; partition++) {
      const owned = assignments.get(readers[next++ % readers.length]!)!;
      let assignment = owned.get(topic);
      if (!assignment) owned.set(topic, (assignment = { topic, partitions: [] }));
      assignment.partitions.push(partition);
    }
  }
  return [...assignments].map(([memberId, owned]) => ({ memberId, assignments: owned }));
};
