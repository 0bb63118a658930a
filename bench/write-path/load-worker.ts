import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { nowMs, sleep } from './clock';
import type { LoadRun, SentRequest } from './open-loop';

/**
 * The HTTP client of the write-path bench, on a thread of its own so that its work does not run on
 * the service's event loop. Open loop: request i is due at start + i / rate whatever the answers.
 */
parentPort!.on('message', (run: LoadRun) => {
  void openLoop(run).then((sent) => parentPort!.postMessage(sent));
});

async function openLoop(run: LoadRun): Promise<SentRequest[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const total = Math.max(1, Math.round(run.rate * run.seconds));
  const interval = 1000 / run.rate;
  const start = nowMs();
  const sending: Promise<SentRequest>[] = [];
  while (sending.length < total) {
    const now = nowMs();
    // Every request due by now goes out; a late tick sends the overdue ones at once.
    while (sending.length < total && start + sending.length * interval <= now) {
      const index = sending.length;
      sending.push(register(agent, run, index, start + index * interval));
    }
    if (sending.length < total) await sleep(Math.max(0, start + sending.length * interval - nowMs()));
  }
  const sent = await Promise.all(sending);
  agent.destroy();
  return sent;
}

/** One POST /users; resolves (never rejects) with its status, 0 when no answer came. */
function register(agent: Agent, run: LoadRun, index: number, dueAt: number): Promise<SentRequest> {
  const body = JSON.stringify({ email: `${run.emailPrefix}-${index}@bench.example`, name: 'Bench User' });
  return new Promise((resolve) => {
    const answer = (status: number, id?: string): void => resolve({ dueAt, answeredAt: nowMs(), status, id });
    const outgoing = request(
      {
        agent,
        host: '127.0.0.1',
        port: run.port,
        method: 'POST',
        path: '/users',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => answer(response.statusCode ?? 0, idOf(Buffer.concat(chunks))));
        response.on('error', () => answer(0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', () => answer(0));
    outgoing.end(body);
  });
}

function idOf(body: Buffer): string | undefined {
  try {
    return (JSON.parse(body.toString('utf8')) as { id?: string }).id;
  } catch {
    return undefined;
  }
}
