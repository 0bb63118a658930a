import { PartitionProgress } from '../../../../../../src/infrastructure/eventbus/kafka/platformatic/partition-progress';

const accept = (progress: PartitionProgress, offset: bigint) => {
  const entry = progress.accept(offset);
  if (!entry) throw new Error(`offset ${offset} was not accepted`);
  return entry;
};

describe('PartitionProgress (what may be committed on one partition)', () => {
  it('commits the first offset at once, then only past contiguous handled messages', () => {
    const progress = new PartitionProgress(0);
    const entries = [10n, 11n, 12n, 13n].map((offset) => accept(progress, offset));
    expect(progress.uncommitted).toBe(10n);
    progress.committed(10n);
    expect(progress.uncommitted).toBeUndefined();

    for (const entry of entries) expect(progress.begin(entry)).toBe(true);
    progress.finish(entries[1]!, true);
    expect(progress.uncommitted).toBeUndefined();
    progress.finish(entries[0]!, true);
    expect(progress.uncommitted).toBe(12n);
    progress.finish(entries[2]!, false); // abandoned: never committed past
    progress.finish(entries[3]!, true);
    expect(progress.uncommitted).toBe(12n);
  });

  it('drops offsets it already holds, as a fetch rewound to the commit after a rejoin repeats them', () => {
    const progress = new PartitionProgress(0);
    accept(progress, 5n);
    accept(progress, 6n);
    expect(progress.accept(5n)).toBeUndefined();
    expect(progress.accept(6n)).toBeUndefined();
    expect(progress.accept(7n)?.offset).toBe(7n);
  });

  it('once halted accepts and starts nothing, and is done when its running work is committed', () => {
    const progress = new PartitionProgress(3);
    const running = accept(progress, 0n);
    const waiting = accept(progress, 1n);
    expect(progress.begin(running)).toBe(true);
    progress.halt();
    expect(progress.accept(2n)).toBeUndefined();
    expect(progress.begin(waiting)).toBe(false);
    expect(progress.done).toBe(false);

    progress.finish(running, true);
    expect(progress.running).toBe(0);
    expect(progress.uncommitted).toBe(1n); // the skipped message is redelivered from here
    expect(progress.done).toBe(false);
    progress.committed(1n);
    expect(progress.done).toBe(true);
  });
});
