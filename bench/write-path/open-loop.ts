import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface LoadRun {
  readonly port: number;
  /** Requests per second, sent on schedule whether or not earlier ones were answered. */
  readonly rate: number;
  readonly seconds: number;
  /** Makes every email of the run unique (the service rejects a second registration of one). */
  readonly emailPrefix: string;
}

export interface SentRequest {
  /** When the request was due, on the nowMs() clock: latency counts from here (no coordinated omission). */
  readonly dueAt: number;
  /** When the answer (or the failure) came, on the same clock. */
  readonly answeredAt: number;
  /** 0 when the request failed without an answer. */
  readonly status: number;
  /** The registered user's id, from a 201. */
  readonly id: string | undefined;
}

/** POST /users at a fixed rate from a worker thread (load-worker.ts). One run at a time. */
export class OpenLoopClient {
  private readonly worker = new Worker(join(__dirname, 'load-worker.ts'));
  private runs = 0;

  run(load: Omit<LoadRun, 'emailPrefix'>): Promise<SentRequest[]> {
    const run: LoadRun = {
      ...load,
      emailPrefix: `wp${process.pid}-${Date.now().toString(36)}-${++this.runs}`,
    };
    const answered = new Promise<SentRequest[]>((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('message', (sent: SentRequest[]) => {
        this.worker.off('error', reject);
        resolve(sent);
      });
    });
    this.worker.postMessage(run);
    return answered;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
