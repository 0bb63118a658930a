/**
 * Something the use case needs (the database, a broker) cannot be reached right now. Not the
 * caller's fault and not a broken rule: adapters answer "try again later" (HTTP 503), never 500.
 */
export class DependencyUnavailableError extends Error {
  readonly code = 'DEPENDENCY_UNAVAILABLE';

  constructor(
    readonly dependency: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
