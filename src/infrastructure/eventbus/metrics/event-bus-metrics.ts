import { Counter, Gauge, type Registry, register as defaultRegistry } from 'prom-client';
import { ExportedHistogram } from './exported-histogram';
import { type BusKind, ConnectionSeries, ConsumeSeries, PublishSeries } from './series';

type ExportedValue<S> = { name: string; help: string; value: (series: S) => number };

/**
 * The bus metrics of the seed in Prometheus naming. Buses bump plain numbers on `*Series` objects
 * (cheap enough for a million messages a second); the prom-client metrics read them when scraped.
 * One instance per registry; any number of buses can share it.
 */
export class EventBusMetrics {
  private static defaultInstance: EventBusMetrics | undefined;
  private readonly publishing = new Map<string, PublishSeries>();
  private readonly consuming = new Map<string, ConsumeSeries>();
  private readonly connections = new Map<BusKind, ConnectionSeries>();

  /** Registers every metric in `registry`; pass `null` to count without exporting (metrics disabled). */
  constructor(registry: Registry | null) {
    if (registry) this.registerIn(registry);
  }

  /** Shared instance on prom-client's global registry, for buses created without explicit metrics. */
  static forDefaultRegistry(): EventBusMetrics {
    EventBusMetrics.defaultInstance ??= new EventBusMetrics(defaultRegistry);
    return EventBusMetrics.defaultInstance;
  }

  publish(bus: BusKind, topic: string): PublishSeries {
    const id = `${bus}\u0000${topic}`;
    let series = this.publishing.get(id);
    if (!series) {
      series = new PublishSeries({ bus, topic });
      this.publishing.set(id, series);
    }
    return series;
  }

  consume(bus: BusKind, topic: string, group: string): ConsumeSeries {
    const id = `${bus}\u0000${topic}\u0000${group}`;
    let series = this.consuming.get(id);
    if (!series) {
      series = new ConsumeSeries({ bus, topic, group });
      this.consuming.set(id, series);
    }
    return series;
  }

  connection(bus: BusKind): ConnectionSeries {
    let series = this.connections.get(bus);
    if (!series) {
      series = new ConnectionSeries({ bus });
      this.connections.set(bus, series);
    }
    return series;
  }

  private registerIn(registry: Registry): void {
    const byTopic = ['bus', 'topic'];
    const byGroup = ['bus', 'topic', 'group'];
    const byBus = ['bus'];
    const publishing: ExportedValue<PublishSeries>[] = [
      {
        name: 'eventbus_messages_published_total',
        help: 'Messages the backend accepted.',
        value: (s) => s.published,
      },
      { name: 'eventbus_publish_errors_total', help: 'Publishes that failed.', value: (s) => s.errors },
    ];
    const consuming: ExportedValue<ConsumeSeries>[] = [
      {
        name: 'eventbus_messages_consumed_total',
        help: 'Messages handled successfully.',
        value: (s) => s.consumed,
      },
      {
        name: 'eventbus_consume_errors_total',
        help: 'Handler attempts that failed.',
        value: (s) => s.errors,
      },
      {
        name: 'eventbus_messages_retried_total',
        help: 'Redeliveries after a failed attempt.',
        value: (s) => s.retried,
      },
      {
        name: 'eventbus_messages_dead_lettered_total',
        help: 'Messages sent to the dead-letter topic after their last attempt.',
        value: (s) => s.deadLettered,
      },
    ];
    const connection: ExportedValue<ConnectionSeries>[] = [
      {
        name: 'eventbus_connection_errors_total',
        help: 'Connection failures.',
        value: (s) => s.connectionErrors,
      },
      { name: 'eventbus_reconnects_total', help: 'Successful reconnects.', value: (s) => s.reconnects },
    ];
    for (const metric of publishing) this.export(registry, Counter, metric, byTopic, this.publishing);
    for (const metric of consuming) this.export(registry, Counter, metric, byGroup, this.consuming);
    for (const metric of connection) this.export(registry, Counter, metric, byBus, this.connections);

    const inFlight: ExportedValue<ConsumeSeries> = {
      name: 'eventbus_messages_in_flight',
      help: 'Handlers running now.',
      value: (s) => s.inFlight,
    };
    const health: ExportedValue<ConnectionSeries>[] = [
      {
        name: 'eventbus_last_health_check_timestamp_seconds',
        help: 'Unix time of the last health check.',
        value: (s) => s.lastHealthCheck,
      },
      {
        name: 'eventbus_health_check_status',
        help: '1 when the last health check passed, else 0.',
        value: (s) => s.healthy,
      },
    ];
    this.export(registry, Gauge, inFlight, byGroup, this.consuming);
    for (const metric of health) this.export(registry, Gauge, metric, byBus, this.connections);

    new ExportedHistogram(
      'eventbus_publish_duration_seconds',
      'Time until the backend accepted a message.',
      () => [...this.publishing.values()].map((s) => ({ labels: s.labels, series: s.duration })),
    ).register(registry);
    new ExportedHistogram('eventbus_handler_duration_seconds', 'Time a handler attempt took.', () =>
      [...this.consuming.values()].map((s) => ({ labels: s.labels, series: s.handlerDuration })),
    ).register(registry);
  }

  /**
   * A prom-client counter or gauge whose values are read from the series at scrape time. After
   * `reset()`, `inc(total)` and `set(total)` both leave the series' current value.
   */
  private export<S extends { labels: object }>(
    registry: Registry,
    Kind: typeof Counter | typeof Gauge,
    { name, help, value }: ExportedValue<S>,
    labelNames: string[],
    source: Map<unknown, S>,
  ): void {
    new Kind({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const series of source.values())
          this.inc(series.labels as Record<string, string>, value(series));
      },
    });
  }
}
