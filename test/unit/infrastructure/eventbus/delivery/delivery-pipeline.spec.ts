import {
  DeliveryPipeline,
  type DeadLetterPublish,
} from '../../../../../src/infrastructure/eventbus/delivery/delivery-pipeline';
import { type InboundMessage } from '../../../../../src/infrastructure/eventbus/delivery/inbound-message';
import {
  DeadLetterHeader,
  HandlerTimeoutError,
  type MessageContext,
  type MessageHandler,
} from '../../../../../src/infrastructure/eventbus';
import { ConsumeSeries } from '../../../../../src/infrastructure/eventbus/metrics/series';

const message: InboundMessage = {
  payload: new TextEncoder().encode('payload'),
  key: 'k',
  headers: { 'x-user': 'kept' },
  messageId: 'm-1',
};

function pipeline(
  handler: MessageHandler,
  options: {
    publishDeadLetter?: DeadLetterPublish;
    signal?: AbortSignal;
    deadLetterEnabled?: boolean;
    attemptTimeoutMs?: number;
  } = {},
) {
  const series = new ConsumeSeries({ bus: 'memory', topic: 'orders', group: 'g' });
  const deadLetters: { topic: string; headers: Record<string, string> }[] = [];
  const publishDeadLetter: DeadLetterPublish =
    options.publishDeadLetter ??
    ((topic, _payload, { headers }) => {
      deadLetters.push({ topic, headers });
      return Promise.resolve();
    });
  const subject = new DeliveryPipeline({
    topic: 'orders',
    group: 'g',
    handler,
    retry: { maxAttempts: 3, initialBackoff: 1, maxBackoff: 2, multiplier: 2 },
    deadLetter: { enabled: options.deadLetterEnabled ?? true, topicSuffix: '.dlq' },
    publishDeadLetter,
    series,
    signal: options.signal ?? new AbortController().signal,
    attemptTimeout:
      options.attemptTimeoutMs === undefined
        ? undefined
        : { ms: options.attemptTimeoutMs, setting: 'eventbus.test.timeout' },
  });
  return { subject, series, deadLetters };
}

describe('DeliveryPipeline', () => {
  it('counts a handled message once, with its duration', async () => {
    const { subject, series } = pipeline(() => Promise.resolve());
    await expect(subject.deliver(message)).resolves.toBe('handled');
    expect(series).toMatchObject({ consumed: 1, errors: 0, retried: 0, inFlight: 0 });
    expect(series.handlerDuration.count).toBe(1);
  });

  it('retries with increasing attempt numbers and succeeds', async () => {
    const attempts: number[] = [];
    const { subject, series } = pipeline((_payload, context) => {
      attempts.push(context.attempt);
      return context.attempt < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve();
    });
    await expect(subject.deliver(message)).resolves.toBe('handled');
    expect(attempts).toEqual([1, 2, 3]);
    expect(series).toMatchObject({ consumed: 1, errors: 2, retried: 2 });
  });

  it('dead-letters after the last attempt with the reason and the original headers', async () => {
    const { subject, series, deadLetters } = pipeline(() => Promise.reject(new TypeError('bad\nthing')));
    await expect(subject.deliver(message)).resolves.toBe('dead-lettered');
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.topic).toBe('orders.dlq');
    expect(deadLetters[0]!.headers).toMatchObject({
      'x-user': 'kept',
      [DeadLetterHeader.originalTopic]: 'orders',
      [DeadLetterHeader.group]: 'g',
      [DeadLetterHeader.attempts]: '3',
      [DeadLetterHeader.error]: 'TypeError: bad thing',
    });
    expect(series).toMatchObject({ consumed: 0, errors: 3, deadLettered: 1 });
  });

  it('keeps trying to dead-letter while the dead-letter publish fails', async () => {
    let tries = 0;
    const { subject } = pipeline(() => Promise.reject(new Error('always')), {
      publishDeadLetter: () => (++tries < 3 ? Promise.reject(new Error('broker down')) : Promise.resolve()),
    });
    await expect(subject.deliver(message)).resolves.toBe('dead-lettered');
    expect(tries).toBe(3);
  });

  it('abandons (does not ack) when stopped during a backoff', async () => {
    const controller = new AbortController();
    const { subject, series } = pipeline(
      () => {
        controller.abort();
        return Promise.reject(new Error('fails while stopping'));
      },
      { signal: controller.signal },
    );
    await expect(subject.deliver(message)).resolves.toBe('abandoned');
    expect(series.deadLettered).toBe(0);
  });

  it('discards after the last attempt when dead-lettering is disabled', async () => {
    const { subject, deadLetters } = pipeline(() => Promise.reject(new Error('x')), {
      deadLetterEnabled: false,
    });
    await expect(subject.deliver(message)).resolves.toBe('discarded');
    expect(deadLetters).toHaveLength(0);
  });

  it('gives the handler the message headers, id, key and attempt', async () => {
    const contexts: MessageContext[] = [];
    const { subject } = pipeline((_payload, context) => {
      contexts.push(context);
      return Promise.resolve();
    });
    await subject.deliver(message);
    expect(contexts[0]).toMatchObject({
      topic: 'orders',
      group: 'g',
      key: 'k',
      messageId: 'm-1',
      attempt: 1,
      headers: { 'x-user': 'kept' },
    });
    expect(contexts[0]!.signal.aborted).toBe(false);
  });

  it('fails an attempt past its time limit, aborts its signal, and retries', async () => {
    const signals: AbortSignal[] = [];
    const errors: unknown[] = [];
    const controller = new AbortController();
    const subject = new DeliveryPipeline({
      topic: 'orders',
      group: 'g',
      handler: (_payload, context) => {
        signals.push(context.signal);
        // The first attempt never settles by itself; the second one is quick.
        return context.attempt === 1 ? new Promise<void>(() => undefined) : Promise.resolve();
      },
      retry: { maxAttempts: 3, initialBackoff: 1, maxBackoff: 2, multiplier: 2 },
      deadLetter: { enabled: true, topicSuffix: '.dlq' },
      publishDeadLetter: () => Promise.resolve(),
      series: new ConsumeSeries({ bus: 'kafka', topic: 'orders', group: 'g' }),
      signal: controller.signal,
      attemptTimeout: { ms: 30, setting: 'eventbus.test.timeout' },
      onHandlerError: (error) => errors.push(error),
    });
    await expect(subject.deliver(message)).resolves.toBe('handled');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerTimeoutError);
    expect(String(errors[0])).toMatch(/exceeded eventbus\.test\.timeout \(30 ms\)/);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
  });

  it('aborts the signal of a timed attempt when the subscription stops', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const { subject } = pipeline(
      (_payload, context) =>
        new Promise<void>((_resolve, reject) => {
          seen = context.signal;
          context.signal.addEventListener('abort', () => reject(new Error('stopped')));
          controller.abort(new Error('closing'));
        }),
      { signal: controller.signal, attemptTimeoutMs: 60_000 },
    );
    await expect(subject.deliver(message)).resolves.toBe('abandoned');
    expect(seen!.aborted).toBe(true);
  });
});
