/** How often a new topic's metadata is asked for until every partition has a leader. */
const LEADER_POLL_MS = 50;

/**
 * Resolves once every partition of a topic just created has a leader, so the first produce or join
 * on it does not fail. Right after CreateTopics a broker (KRaft in particular) may still answer
 * metadata for the topic with "unknown topic" or "leader not available": `leadersOf` turns those
 * into an empty list, and the wait goes on until `timeoutMs`.
 */
export async function untilLeadersElected(
  topic: string,
  timeoutMs: number,
  leadersOf: (topic: string) => Promise<readonly number[]>,
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const leaders = await leadersOf(topic);
    if (leaders.length > 0 && leaders.every((leader) => leader >= 0)) return;
    if (Date.now() >= giveUpAt) throw new Error(`topic "${topic}" has no leader after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS));
  }
}
