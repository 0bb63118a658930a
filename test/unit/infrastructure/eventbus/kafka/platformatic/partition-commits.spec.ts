import {
  PartitionCommits,
  type OffsetToCommit,
} from '../../../../../../src/infrastructure/eventbus/kafka/platformatic/partition-commits';

describe('PartitionCommits (one commit request at a time)', () => {
  it('commits each partition’s handled prefix, and keeps what a failed request did not commit', async () => {
    const sent: OffsetToCommit[][] = [];
    let fail = true;
    const commits = new PartitionCommits((offsets) => {
      sent.push([...offsets]);
      return fail ? Promise.reject(new Error('rebalancing')) : Promise.resolve();
    });
    const entry = commits.progressOf(0).accept(7n)!;
    commits.progressOf(1).accept(3n);

    await commits.flush();
    fail = false;
    commits.progressOf(0).begin(entry);
    commits.progressOf(0).finish(entry, true);
    await commits.flush();
    await commits.flush(); // nothing new: no request

    expect(sent).toEqual([
      [
        { partition: 0, offset: 7n },
        { partition: 1, offset: 3n },
      ],
      [
        { partition: 0, offset: 8n },
        { partition: 1, offset: 3n },
      ],
    ]);
  });

  it('commits a halted partition once its running message finished, then forgets it', async () => {
    const sent: OffsetToCommit[][] = [];
    const commits = new PartitionCommits((offsets) => {
      sent.push([...offsets]);
      return Promise.resolve();
    });
    const progress = commits.progressOf(2);
    const running = progress.accept(10n)!;
    progress.accept(11n);
    progress.begin(running);
    await commits.flush();
    commits.halt(2);

    progress.finish(running, true);
    await commits.flush();
    await commits.flush();
    expect(sent).toEqual([[{ partition: 2, offset: 10n }], [{ partition: 2, offset: 11n }]]);
    expect(commits.progressOf(2)).not.toBe(progress); // a new assignment starts afresh
  });
});
