import { type Container } from 'inversify';
import { type UseCase } from '../../application/shared/use-case';
import { traced } from '../tracing/traced-use-case';
import { type Tracing } from '../tracing/tracing';
import { provide, type Dependencies, type Token } from './token';
import { TOKENS } from './tokens';

/** The tracer of the service's own spans (use cases, HTTP requests). */
export const SERVICE_TRACER_NAME = 'hexagonal-eventbus-service';

/**
 * Binds a use case like `provide`, with each `execute` in a span named after its class when
 * tracing is on: use cases stay plain classes, and no binding repeats the tracing.
 */
export function provideUseCase<T extends UseCase<never, unknown>, A extends unknown[]>(
  container: Container,
  id: Token<T>,
  dependencies: Dependencies<A>,
  factory: (...args: A) => T,
): void {
  provide(
    container,
    id,
    [TOKENS.Tracing, ...dependencies] as unknown as Dependencies<[Tracing, ...A]>,
    (tracing: Tracing, ...args: A) => {
      const useCase = factory(...args);
      return traced(tracing.tracer(SERVICE_TRACER_NAME), useCase.constructor.name, useCase);
    },
  );
}
