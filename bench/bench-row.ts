export interface BenchRow {
  readonly backend: string;
  readonly scenario: string;
  readonly ours: number;
  readonly raw: number;
  readonly unit: string;
  readonly baseline: string;
  /** Printed after the ratio: a difference, a target, what stopped a ramp. */
  readonly note?: string;
}
