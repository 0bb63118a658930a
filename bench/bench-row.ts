export interface BenchRow {
  readonly backend: string;
  readonly scenario: string;
  /** Who produced `ours`: the bus (the default), a peer client, or the backend's limit. */
  readonly subject?: string;
  /** The measured value of this row (NaN when it could not be measured; `note` says why). */
  readonly ours: number;
  /** Medians over rounds carry the range of the rounds. */
  readonly range?: { readonly min: number; readonly max: number };
  /** What `ours` is compared with; absent on a row that is a reference itself. */
  readonly raw?: number;
  readonly unit: string;
  readonly baseline?: string;
  /** The backend's limit measured in the same run: what the machine allows for this scenario. */
  readonly limit?: { readonly value: number; readonly name: string };
  /** Printed after the ratio: a difference, a goal, what stopped a ramp. */
  readonly note?: string;
}
