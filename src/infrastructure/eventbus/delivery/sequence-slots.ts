const INITIAL_SLOTS = 1024;

/** An entry stored under a number that grows from one entry to the next, such as a request counter. */
export interface Sequenced {
  readonly sequence: number;
}

/**
 * Entries by sequence number in an array indexed by the number's low bits, for entries that come
 * and go by the thousand per second (publishes waiting for their ack). No hashing, and no garbage
 * kept alive: a Map under that churn rehashes into new tables, and each old table, once promoted
 * to the old generation, still points to the entries that were in it. Young-generation collections
 * treat those pointers as live, so every entry outlived its removal and was promoted too; with a Map
 * the PubAck inbox spent three times the CPU per publish, most of it in garbage collection.
 *
 * Sequences need not be dense, only non-negative integers below 2^53; the array grows (doubling)
 * when a new entry's slot is still taken, so it spans the oldest and newest entries present.
 */
export class SequenceSlots<T extends Sequenced> {
  private slots: (T | undefined)[] = new Array<T | undefined>(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(entry: T): void {
    while (this.slots[entry.sequence & this.mask] !== undefined) this.grow();
    this.slots[entry.sequence & this.mask] = entry;
    this.count++;
  }

  /** The entry stored under `sequence`, if there is one. */
  get(sequence: number): T | undefined {
    const entry = this.slots[sequence & this.mask];
    return entry?.sequence === sequence ? entry : undefined;
  }

  /** Removes and returns the entry stored under `sequence`, if there is one. */
  take(sequence: number): T | undefined {
    const index = sequence & this.mask;
    const entry = this.slots[index];
    if (entry === undefined || entry.sequence !== sequence) return undefined;
    this.slots[index] = undefined;
    this.count--;
    return entry;
  }

  /** Removes and returns every entry for which `matches` holds (all of them without it). */
  takeAll(matches: (entry: T) => boolean = () => true): T[] {
    const taken: T[] = [];
    if (this.count === 0) return taken;
    for (let index = 0; index < this.slots.length; index++) {
      const entry = this.slots[index];
      if (entry === undefined || !matches(entry)) continue;
      this.slots[index] = undefined;
      this.count--;
      taken.push(entry);
    }
    return taken;
  }

  private grow(): void {
    const entries = this.slots;
    this.slots = new Array<T | undefined>(entries.length * 2).fill(undefined);
    this.mask = this.slots.length - 1;
    for (const entry of entries) if (entry !== undefined) this.slots[entry.sequence & this.mask] = entry;
  }
}
