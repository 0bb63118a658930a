import { type InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { type Service } from '../../../src/infrastructure/di/service';
import { describeWithBroker } from '../../support/brokers';
import {
  expectOneTraceToTheSubscriber,
  expectUnsampledCallerRecordsNothing,
  startRecordedTracing,
} from '../../support/trace-flow';
import { startTestService } from '../../support/test-service';

jest.setTimeout(60_000);

/** The service with tracing on over `configFile`'s backend: the same spans whatever the bus. */
function describeTracedService(system: string, configFile: string): void {
  let service: Service;
  let exporter: InMemorySpanExporter;
  let counter = 0;
  const email = (): string => `traced-${system}-${Date.now()}-${process.pid}-${++counter}@example.com`;

  beforeAll(async () => {
    const recorded = startRecordedTracing();
    exporter = recorded.exporter;
    service = await startTestService(
      configFile,
      (config) => {
        config.eventbus.tracing = { enabled: true, sampleRate: 1 };
      },
      { tracing: recorded.tracing },
    );
  });

  afterAll(() => service.stop());

  it('records one trace from POST /users through the outbox and the bus to the subscriber', async () => {
    await expectOneTraceToTheSubscriber(service, exporter, { system, email: email(), timeoutMs: 20_000 });
  });

  it('records nothing for a caller that did not sample, and passes its decision on', async () => {
    await expectUnsampledCallerRecordsNothing(service, exporter, { email: email(), timeoutMs: 20_000 });
  });
}

describe('tracing on the memory bus', () => describeTracedService('memory', 'config/default.yaml'));
describeWithBroker('nats', 'tracing on NATS JetStream', () =>
  describeTracedService('nats', 'config/nats.yaml'),
);
describeWithBroker('kafka', 'tracing on Kafka', () => describeTracedService('kafka', 'config/kafka.yaml'));
