import { Container } from 'inversify';
import { allOf, provide, resolve, resolveAll, token } from '../../../../src/infrastructure/di/token';

class Clock {
  now = 42;
}
class Greeter {
  constructor(readonly clock: Clock) {}
}

const CLOCK = token<Clock>('test.Clock');
const GREETER = token<Greeter>('test.Greeter');
const GREETING = token<string>('test.Greeting');
const GREETINGS = token<number>('test.Greetings');

describe('typed tokens', () => {
  it('builds each binding once from its dependencies, typed, without a cast', async () => {
    const container = new Container();
    let built = 0;
    provide(container, CLOCK, [], () => new Clock());
    provide(container, GREETER, [CLOCK], (clock) => {
      built++;
      return new Greeter(clock);
    });

    const greeter: Greeter = await resolve(container, GREETER);

    expect(greeter.clock.now).toBe(42);
    expect(await resolve(container, GREETER)).toBe(greeter);
    expect(built).toBe(1);
  });

  it('collects every binding of a multi-binding token', async () => {
    const container = new Container();
    provide(container, GREETING, [], () => 'hello');
    provide(container, GREETING, [], () => 'bonjour');
    provide(container, GREETINGS, [allOf(GREETING)], (greetings) => greetings.length);

    expect((await resolveAll(container, GREETING)).sort()).toEqual(['bonjour', 'hello']);
    expect(await resolve(container, GREETINGS)).toBe(2);
  });

  it('refuses at compile time a binding whose dependencies do not fit its factory', async () => {
    const container = new Container();
    provide(container, GREETING, [], () => 'hello');
    // @ts-expect-error a string token where the factory takes a Clock (npm run typecheck fails without it)
    provide(container, GREETER, [GREETING], (clock: Clock) => new Greeter(clock));

    // What the compiler prevents: inversify alone builds the Greeter around a string.
    const greeter = await resolve(container, GREETER);
    expect(typeof greeter.clock).toBe('string');
  });
});
