import { type Container } from 'inversify';

declare const resolvesTo: unique symbol;

/**
 * A service identifier that carries the type it resolves to. Through `provide` and `resolve` the
 * compiler checks every binding's dependencies against its factory's parameters, and no `get` needs
 * a cast: inversify's own identifiers (plain symbols) would check neither.
 */
export type Token<T> = symbol & { readonly [resolvesTo]?: T };

/** All bindings of a multi-binding token, as one dependency (an array). */
export interface AllOf<T> {
  readonly isMultiple: true;
  readonly serviceIdentifier: Token<T>;
  readonly [resolvesTo]?: T[];
}

type Dependency<T> = { readonly [resolvesTo]?: T };

/** What a factory with parameters `A` depends on: a token (or `allOf`) per parameter, in order. */
export type Dependencies<A extends unknown[]> = { [K in keyof A]: Dependency<A[K]> };

export function token<T>(name: string): Token<T> {
  return Symbol.for(name);
}

export function allOf<T>(id: Token<T>): AllOf<T> {
  return { isMultiple: true, serviceIdentifier: id };
}

/**
 * Binds `id` to one instance, built on first use by `factory` from `dependencies` (resolved in
 * order). Binding a token again adds to it: that is how multi-bindings (`allOf`) grow.
 */
export function provide<T, A extends unknown[]>(
  container: Container,
  id: Token<T>,
  dependencies: Dependencies<A>,
  factory: (...args: A) => T | Promise<T>,
): void {
  // Dependencies<A> is what inversify's own typing cannot express for branded symbols.
  container
    .bind<T>(id)
    .toResolvedValue(factory, dependencies as never)
    .inSingletonScope();
}

export function resolve<T>(container: Container, id: Token<T>): Promise<T> {
  return container.getAsync<T>(id);
}

/** Every binding of a multi-binding token. */
export function resolveAll<T>(container: Container, id: Token<T>): Promise<T[]> {
  return container.getAllAsync<T>(id);
}
