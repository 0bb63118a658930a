import { SequenceSlots } from '../../../../../src/infrastructure/eventbus/delivery/sequence-slots';

interface Entry {
  readonly sequence: number;
  readonly name: string;
}

const entry = (sequence: number): Entry => ({ sequence, name: `e${sequence}` });

describe('SequenceSlots', () => {
  it('gives back each entry once, by its sequence', () => {
    const slots = new SequenceSlots<Entry>();
    for (let sequence = 1; sequence <= 100; sequence++) slots.add(entry(sequence));

    expect(slots.size).toBe(100);
    expect(slots.get(42)).toEqual(entry(42));
    expect(slots.take(42)).toEqual(entry(42));
    expect(slots.take(42)).toBeUndefined();
    expect(slots.get(42)).toBeUndefined();
    expect(slots.take(101)).toBeUndefined();
    expect(slots.take(-1)).toBeUndefined();
    expect(slots.size).toBe(99);
  });

  it('does not hand out a newer entry for an older sequence that shared its slot', () => {
    const slots = new SequenceSlots<Entry>();
    slots.add(entry(7));
    slots.take(7);
    slots.add(entry(7 + 1024 * 8));

    // A late answer for sequence 7 must not settle the entry now in that slot.
    expect(slots.take(7)).toBeUndefined();
    expect(slots.take(7 + 1024 * 8)).toEqual(entry(7 + 1024 * 8));
  });

  it('grows to hold entries whose sequences lie far apart, losing none', () => {
    const slots = new SequenceSlots<Entry>();
    // One entry that stays while many newer ones come and go, as a publish whose ack is late.
    slots.add(entry(1));
    const wrong: number[] = [];
    for (let sequence = 2; sequence <= 100_000; sequence++) {
      slots.add(entry(sequence));
      const older = sequence - 50;
      if (older >= 2 && slots.take(older)?.sequence !== older) wrong.push(older);
    }
    expect(wrong).toEqual([]);
    expect(slots.get(1)).toEqual(entry(1));
    const left = slots.takeAll().map((taken) => taken.sequence);
    expect(left.sort((a, b) => a - b)).toEqual([
      1,
      ...Array.from({ length: 50 }, (_, index) => 99_951 + index),
    ]);
    expect(slots.size).toBe(0);
  });

  it('takes the entries that match, leaving the others', () => {
    const slots = new SequenceSlots<Entry>();
    for (let sequence = 1; sequence <= 10; sequence++) slots.add(entry(sequence));

    const even = slots.takeAll((candidate) => candidate.sequence % 2 === 0);

    expect(even.map((taken) => taken.sequence).sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10]);
    expect(slots.size).toBe(5);
    expect(slots.get(3)).toEqual(entry(3));
    expect(slots.get(4)).toBeUndefined();
  });

  it('keeps sequences past 2^32 apart', () => {
    const slots = new SequenceSlots<Entry>();
    const base = 2 ** 40;
    for (let offset = 0; offset < 3_000; offset++) slots.add(entry(base + offset));

    expect(slots.size).toBe(3_000);
    for (let offset = 0; offset < 3_000; offset++)
      expect(slots.take(base + offset)?.sequence).toBe(base + offset);
  });
});
