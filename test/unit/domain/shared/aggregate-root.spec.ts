import { AggregateRoot } from '../../../../src/domain/shared/aggregate-root';
import { DomainEvent } from '../../../../src/domain/shared/domain-event';

class CounterIncremented extends DomainEvent {
  readonly eventName = 'test.counter.incremented';
  readonly version = 1;

  constructor(aggregateId: string) {
    super({ aggregateId });
  }

  toPrimitives(): Record<string, unknown> {
    return {};
  }
}

class Counter extends AggregateRoot {
  increment(): void {
    this.record(new CounterIncremented('counter-1'));
  }
}

describe('AggregateRoot', () => {
  it('returns recorded events in order', () => {
    const counter = new Counter();
    counter.increment();
    counter.increment();

    const events = counter.pullDomainEvents();

    expect(events).toHaveLength(2);
    expect(events[0]).toBeInstanceOf(CounterIncremented);
    expect(events[0]).not.toBe(events[1]);
  });

  it('forgets events once pulled, so they cannot be published twice', () => {
    const counter = new Counter();
    counter.increment();

    counter.pullDomainEvents();

    expect(counter.pullDomainEvents()).toEqual([]);
  });

  it('hands out a copy that later recordings do not change', () => {
    const counter = new Counter();
    counter.increment();
    const pulled = counter.pullDomainEvents();

    counter.increment();

    expect(pulled).toHaveLength(1);
    expect(counter.pullDomainEvents()).toHaveLength(1);
  });
});
