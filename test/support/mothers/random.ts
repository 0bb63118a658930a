/**
 * Deterministic "random" data: a fixed-seed generator (mulberry32) makes every run, and therefore
 * every failure, reproducible without a faker dependency. Jest reloads modules per test file, so each
 * file starts from the same seed.
 */
let state = 0x2f6b_1d3a;

function next(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(next() * (max - min + 1));
}

export function randomElement<T>(items: readonly T[]): T {
  return items[randomInt(0, items.length - 1)]!;
}

/** UUID v4 layout built from the seeded generator, unlike crypto.randomUUID(). */
export function randomUuid(): string {
  const hex = Array.from({ length: 32 }, () => randomInt(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = randomElement(['8', '9', 'a', 'b']);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Linus',
];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson'];

export function randomFullName(): string {
  return `${randomElement(FIRST_NAMES)} ${randomElement(LAST_NAMES)}`;
}

let sequence = 0;

/** Distinct on every call, so generated e-mails never collide by accident. */
export function nextSequence(): number {
  sequence += 1;
  return sequence;
}
