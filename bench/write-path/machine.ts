import { readdirSync, readFileSync } from 'node:fs';
import { nowMs, sleep } from './clock';

const SAMPLE_MS = 500;
/** Busy share of all cores below which the machine counts as idle (our idle services stay well below). */
const IDLE_BELOW = 0.25;
const MAX_IDLE_WAIT_MS = 120_000;
/** Other work using more than this many cores on average disturbs a measurement. */
const MAX_FOREIGN_CORES = 0.15;
const MAX_ATTEMPTS = 3;
/** The system under test besides this process: its brokers, and the database server's own processes. */
const UNDER_TEST = new Set(['nats-server', 'java']);
/**
 * A PostgreSQL backend's title names its database: `postgres: [<cluster>: ]<user> <database>
 * <host(port)|[local]> <state>`; the server's helpers (checkpointer, walwriter...) have no client.
 */
const BACKEND_TITLE = /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/;
/** The prefix of the bench's scratch databases; backends of other databases are other work. */
export const OWN_DATABASE_PREFIX = 'bench_wp';
/** USER_HZ: /proc reports CPU time in these ticks per second on every Linux platform. */
const TICKS_PER_SECOND = 100;

/**
 * Runs `measurement` when the machine is idle and repeats it (at most MAX_ATTEMPTS times in all)
 * while other programs used the cores meanwhile: the bench shares a small machine with other work.
 * Without /proc (not Linux) it simply runs once.
 */
export async function undisturbed<T>(label: string, measurement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await waitForIdleMachine();
    const before = foreignCpuSeconds();
    const started = nowMs();
    const result = await measurement();
    const after = foreignCpuSeconds();
    if (before === undefined || after === undefined || attempt === MAX_ATTEMPTS) return result;
    const cores = (after - before) / ((nowMs() - started) / 1000);
    if (cores < MAX_FOREIGN_CORES) return result;
    console.log(`write-path: ${label} ran beside other work (${cores.toFixed(2)} cores); repeating`);
  }
}

/** Waits, up to MAX_IDLE_WAIT_MS, until the whole machine has been idle for two samples in a row. */
async function waitForIdleMachine(): Promise<void> {
  const started = nowMs();
  let quiet = 0;
  while (quiet < 2 && nowMs() - started < MAX_IDLE_WAIT_MS) {
    const busy = await busyShare();
    if (busy === undefined) return;
    quiet = busy < IDLE_BELOW ? quiet + 1 : 0;
  }
  const waited = nowMs() - started - 2 * SAMPLE_MS;
  if (waited > 1_000)
    console.log(`write-path: waited ${Math.round(waited / 1000)} s for the machine to go idle`);
}

/** Share of CPU time spent busy over one sample, or undefined without /proc/stat. */
async function busyShare(): Promise<number | undefined> {
  const before = cpuTimes();
  await sleep(SAMPLE_MS);
  const after = cpuTimes();
  if (!before || !after || after.total === before.total) return undefined;
  return 1 - (after.idle - before.idle) / (after.total - before.total);
}

function cpuTimes(): { idle: number; total: number } | undefined {
  const line = readOrUndefined('/proc/stat')?.split('\n')[0];
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are the idle part.
  return { idle: fields[3]! + (fields[4] ?? 0), total: fields.slice(0, 8).reduce((sum, n) => sum + n, 0) };
}

/**
 * CPU seconds used so far by user programs other than this process and the system under test
 * (including their reaped children, e.g. a compiler under npm). Kernel threads are left out.
 */
function foreignCpuSeconds(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const stat = readOrUndefined(`/proc/${entry}/stat`);
    if (!stat) continue;
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // After the command: state ppid ... utime stime cutime cstime at 11..14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kernelThread = fields[1] === '2' || entry === '2';
    if (kernelThread || UNDER_TEST.has(command) || ownDatabaseProcess(entry, command)) continue;
    ticks += fields.slice(11, 15).reduce((sum, n) => sum + Number(n), 0);
  }
  return ticks / TICKS_PER_SECOND;
}

/** A process of the PostgreSQL server that is not a backend serving some other database. */
function ownDatabaseProcess(pid: string, command: string): boolean {
  if (command !== 'postgres') return false;
  const title = readOrUndefined(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ') ?? '';
  const database = BACKEND_TITLE.exec(title)?.[1];
  // The postmaster and its helpers (checkpointer, WAL writer...) serve everyone, the bench included.
  return database === undefined || database.startsWith(OWN_DATABASE_PREFIX);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
