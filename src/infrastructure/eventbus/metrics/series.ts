import { HistogramSeries } from './histogram-series';

export type BusKind = 'memory' | 'kafka' | 'nats';

/** Counters a publisher bumps for one (bus, topic); exported by `EventBusMetrics` at scrape time. */
export class PublishSeries {
  published = 0;
  errors = 0;
  readonly duration = new HistogramSeries();

  constructor(readonly labels: { readonly bus: BusKind; readonly topic: string }) {}
}

/** Counters one subscription bumps for one (bus, topic, group). */
export class ConsumeSeries {
  consumed = 0;
  errors = 0;
  retried = 0;
  deadLettered = 0;
  inFlight = 0;
  readonly handlerDuration = new HistogramSeries();

  constructor(readonly labels: { readonly bus: BusKind; readonly topic: string; readonly group: string }) {}
}

/** Connection-level state of one bus. */
export class ConnectionSeries {
  connectionErrors = 0;
  reconnects = 0;
  /** Unix seconds of the last health check; 0 until one ran. */
  lastHealthCheck = 0;
  healthy = 0;

  constructor(readonly labels: { readonly bus: BusKind }) {}
}
