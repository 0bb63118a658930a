import { Counter, Gauge, type Registry, register as defaultRegistry } from 'prom-client';
import { ExportedHistogram } from './exported-histogram';
import { type BusKind, ConnectionSeries, ConsumeSeries, PublishSeries } from './series';

type CounterOf<S> = { name: string; help: string; value: (series: S) => number };

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
    const publishCounters: CounterOf<PublishSeries>[] = [
      {
        name: 'eventbus_messages_published_total',
        help: 'Messages the backend accepted.',
        value: (s) => s.published,
      },
      { name: 'eventbus_publish_errors_total', help: 'Publishes that failed.', value: (s) => s.errors },
    ];
    const consumeCounters: CounterOf<ConsumeSeries>[] = [
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
    const connectionCounters: CounterOf<ConnectionSeries>[] = [
      {
        name: 'eventbus_connection_errors_total',
        help: 'Connection failures.',
        value: (s) => s.connectionErrors,
      },
      { name: 'eventbus_reconnects_total', help: 'Successful reconnects.', value: (s) => s.reconnects },
    ];
    for (const counter of publishCounters) this.counter(registry, counter, ['bus', 'topic'], this.publishing);
    for (const counter of consumeCounters)
      this.counter(registry, counter, ['bus', 'topic', 'group'], this.consuming);
    for (const counter of connectionCounters) this.counter(registry, counter, ['bus'], this.connections);

    this.gauge(
      registry,
      'eventbus_messages_in_flight',
      'Handlers running now.',
      ['bus', 'topic', 'group'],
      this.consuming,
      (s) => s.inFlight,
    );
    this.gauge(
      registry,
      'eventbus_last_health_check_timestamp_seconds',
      'Unix time of the last health check.',
      ['bus'],
      this.connections,
      (s) => s.lastHealthCheck,
    );
    this.gauge(
      registry,
      'eventbus_health_check_status',
      '1 when the last health check passed, else 0.',
      ['bus'],
      this.connections,
      (s) => s.healthy,
    );

    new ExportedHistogram(
      'eventbus_publish_duration_seconds',
      'Time until the backend accepted a message.',
      () => [...this.publishing.values()].map((s) => ({ labels: s.labels, series: s.duration })),
    ).register(registry);
    new ExportedHistogram('eventbus_handler_duration_seconds', 'Time a handler attempt took.', () =>
      [...this.consuming.values()].map((s) => ({ labels: s.labels, series: s.handlerDuration })),
    ).register(registry);
  }

  private counter<S extends { labels: object }>(
    registry: Registry,
    { name, help, value }: CounterOf<S>,
    labelNames: string[],
    source: Map<unknown, S>,
  ): void {
    new Counter({
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

  private gauge<S extends { labels: object }>(
    registry: Registry,
    name: string,
    help: string,
    labelNames: string[],
    source: Map<unknown, S>,
    value: (series: S) => number,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const series of source.values())
          this.set(series.labels as Record<string, string>, value(series));
      },
    });
  }
}
