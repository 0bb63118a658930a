export interface BenchRow {
  readonly backend: string;
  readonly scenario: string;
  readonly ours: number;
  readonly raw: number;
  readonly unit: string;
  readonly baseline: string;
}
