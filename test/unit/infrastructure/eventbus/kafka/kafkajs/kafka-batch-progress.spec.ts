import { BatchProgress } from '../../../../../../src/infrastructure/eventbus/kafka/kafkajs/kafka-batch-progress';

describe('BatchProgress (what may be committed)', () => {
  it('advances the handled prefix only over contiguous handled messages', () => {
    const progress = new BatchProgress(4);
    for (let index = 0; index < 4; index++) expect(progress.begin(index)).toBe(true);
    progress.finish(1, true);
    expect(progress.handledPrefix).toBe(0);
    progress.finish(0, true);
    expect(progress.handledPrefix).toBe(2);
    progress.finish(2, false); // abandoned: never committed past
    progress.finish(3, true);
    expect(progress.handledPrefix).toBe(2);
    expect(progress.finished).toBe(true);
  });

  it('a halted batch starts nothing more and is finished once its running messages are', async () => {
    const progress = new BatchProgress(3);
    expect(progress.begin(0)).toBe(true);
    progress.halt();
    expect(progress.begin(1)).toBe(false);
    expect(progress.finished).toBe(false);
    const finished = progress.waitFinished(10_000);
    progress.finish(0, true);
    await finished;
    expect(progress.finished).toBe(true);
    expect(progress.handledPrefix).toBe(1);
  });
});
