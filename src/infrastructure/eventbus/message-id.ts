/**
 * Message ids: a random per-process prefix plus a counter. As unique as a UUID per message across
 * processes (the prefix has 122 random bits) at a fraction of the cost on the publish hot path.
 */
const prefix = crypto.randomUUID();
let sequence = 0;

export function nextMessageId(): string {
  sequence++;
  return `${prefix}-${sequence.toString(36)}`;
}
