import { Registry } from 'prom-client';
import { EventBusMetrics } from '../../../../../src/infrastructure/eventbus';
import { waitFor } from '../../../../support/wait-for';
import { createTestMemoryBus } from '../../../../support/memory-bus';
import { BRIEF_METRICS } from '../../../../support/brief-metrics';

describe('EventBusMetrics', () => {
  it('exports every metric of the brief with bus, topic and group labels and real values', async () => {
    const registry = new Registry();
    const bus = createTestMemoryBus(new EventBusMetrics(registry)).bus;
    let calls = 0;
    await bus.subscribe(
      'orders',
      () => (++calls === 1 ? Promise.reject(new Error('once')) : Promise.resolve()),
      { group: 'billing' },
    );
    await bus.publish('orders', 'a');
    await bus.publish('orders', 'b');
    await bus.publish('', 'bad').catch(() => undefined);
    await bus.publish('orders', 42 as unknown as string).catch(() => undefined);
    await bus.healthCheck();
    await waitFor(() => calls === 3);
    await bus.close();

    const text = await registry.metrics();
    for (const name of BRIEF_METRICS) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('eventbus_messages_published_total{bus="memory",topic="orders"} 2');
    expect(text).toContain('eventbus_publish_errors_total{bus="memory",topic="orders"} 1');
    expect(text).toContain('eventbus_messages_consumed_total{bus="memory",topic="orders",group="billing"} 2');
    expect(text).toContain('eventbus_consume_errors_total{bus="memory",topic="orders",group="billing"} 1');
    expect(text).toContain('eventbus_messages_retried_total{bus="memory",topic="orders",group="billing"} 1');
    expect(text).toContain(
      'eventbus_handler_duration_seconds_count{bus="memory",topic="orders",group="billing"} 3',
    );
    expect(text).toContain(
      'eventbus_handler_duration_seconds_bucket{bus="memory",topic="orders",group="billing",le="+Inf"} 3',
    );
    expect(text).toContain('eventbus_health_check_status{bus="memory"} 1');
    expect(text).toContain('eventbus_messages_in_flight{bus="memory",topic="orders",group="billing"} 0');
  });

  it('renders cumulative histogram buckets', async () => {
    const registry = new Registry();
    const metrics = new EventBusMetrics(registry);
    const series = metrics.publish('memory', 't');
    series.duration.observe(0.00005);
    series.duration.observe(0.3);
    const text = await registry.metrics();
    expect(text).toContain('eventbus_publish_duration_seconds_bucket{bus="memory",topic="t",le="0.0001"} 1');
    expect(text).toContain('eventbus_publish_duration_seconds_bucket{bus="memory",topic="t",le="0.5"} 2');
    expect(text).toContain('eventbus_publish_duration_seconds_sum{bus="memory",topic="t"} 0.30005');
  });

  it('can count without exporting when metrics are disabled', () => {
    const metrics = new EventBusMetrics(null);
    metrics.publish('memory', 't').published++;
    expect(metrics.publish('memory', 't').published).toBe(1);
  });
});
