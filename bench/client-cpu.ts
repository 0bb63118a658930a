import { median } from './stats';

/**
 * The CPU this process spends per message (user + system µs), per side of a round-robin. Where the
 * broker shares the cores with the client, what a client spends per message is taken from the
 * broker, so this figure explains a row's rate better than the rate alone.
 */
export class ClientCpu {
  private readonly runs = new Map<string, number[]>();

  /** `run`, recording its CPU per message; `run` resolves with its rate, passed on. */
  measure(side: string, messages: number, run: () => Promise<number>): () => Promise<number> {
    return async () => {
      const before = process.cpuUsage();
      const rate = await run();
      const used = process.cpuUsage(before);
      const runs = this.runs.get(side) ?? [];
      runs.push((used.user + used.system) / messages);
      this.runs.set(side, runs);
      return rate;
    };
  }

  /** The median over a side's runs, its first (the warm-up) left out, as text: "4.4 µs/msg". */
  perMessage(side: string): string {
    const measuredRuns = this.runs.get(side)?.slice(1) ?? [];
    if (measuredRuns.length === 0) return 'not measured';
    return `${median(measuredRuns).toFixed(1)} µs/msg`;
  }
}
