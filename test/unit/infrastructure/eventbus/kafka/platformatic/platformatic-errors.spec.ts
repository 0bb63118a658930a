import { isTopicNotReady } from '../../../../../../src/infrastructure/eventbus/kafka/platformatic/platformatic-errors';
import { loadPlatformaticKafka } from '../../../../../../src/infrastructure/eventbus/kafka/platformatic/platformatic-module';

describe('isTopicNotReady (@platformatic/kafka)', () => {
  it("is true for the client's unknown-topic error and a metadata answer without a leader", async () => {
    const { ResponseError, UserError } = await loadPlatformaticKafka();
    expect(isTopicNotReady(new UserError('Unknown topic orders.'))).toBe(true);
    const noLeader = new ResponseError(3, 12, { '/topics/0/partitions/1': [5, null] }, {});
    expect(isTopicNotReady(noLeader)).toBe(true);
  });

  it('is false for other failures', async () => {
    const { ResponseError, UserError } = await loadPlatformaticKafka();
    expect(isTopicNotReady(new ResponseError(3, 12, { '/topics/0': [29, null] }, {}))).toBe(false);
    expect(isTopicNotReady(new UserError('Invalid options.'))).toBe(false);
    expect(isTopicNotReady(new Error('Unknown topic orders.'))).toBe(false);
  });
});
