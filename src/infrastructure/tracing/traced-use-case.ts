import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { type UseCase } from '../../application/shared/use-case';
import { DomainError } from '../../domain/shared/domain-error';

/**
 * The use case, with each `execute` in a span named after it. The application layer stays free of
 * OpenTelemetry; without a tracer the use case itself is returned and pays nothing.
 */
export function traced<T extends UseCase<never, unknown>>(
  tracer: Tracer | undefined,
  name: string,
  useCase: T,
): T {
  if (!tracer) return useCase;
  const execute = useCase.execute.bind(useCase) as (input: unknown) => Promise<unknown>;
  return new Proxy(useCase, {
    get: (target, property, receiver) =>
      property === 'execute'
        ? (input: unknown) =>
            tracer.startActiveSpan(name, async (span) => {
              try {
                return await execute(input);
              } catch (error) {
                span.recordException(error instanceof Error ? error : String(error));
                // A rule the input broke (a duplicate email) is an answer, not a failure of the service.
                if (!(error instanceof DomainError)) span.setStatus({ code: SpanStatusCode.ERROR });
                throw error;
              } finally {
                span.end();
              }
            })
        : (Reflect.get(target, property, receiver) as unknown),
  });
}
