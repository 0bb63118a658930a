import { type Metric, type Registry } from 'prom-client';
import { DURATION_BUCKETS, type HistogramSeries } from './histogram-series';

interface LabelledHistogram {
  readonly labels: Record<string, string>;
  readonly series: HistogramSeries;
}

/**
 * A prom-client metric that renders `HistogramSeries` kept by the bus. It produces exactly what
 * prom-client's Histogram would (`_bucket` with `le`, `_sum`, `_count`) without per-observation hashing.
 */
export class ExportedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly source: () => Iterable<LabelledHistogram>,
  ) {}

  register(registry: Registry): void {
    // prom-client accepts any object with this shape; its typings only list its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: unknown[] }> {
    const values: unknown[] = [];
    for (const { labels, series } of this.source()) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((bound, index) => {
        cumulative += series.counts[index]!;
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { ...labels, le: bound },
          value: cumulative,
        });
      });
      values.push({
        metricName: `${this.name}_bucket`,
        labels: { ...labels, le: '+Inf' },
        value: series.count,
      });
      values.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: series.count });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  /** Series belong to the buses; resetting the registry does not rewrite their history. */
  reset(): void {}
}
