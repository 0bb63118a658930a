/**
 * Makes a use case's writes atomic: the repositories' changes and the events recorded through the
 * EventPublisher inside `work` commit together or not at all. Repositories and publisher join the
 * transaction on their own (the adapter tracks it per async call chain), so use cases pass no
 * handle around and stay free of any database type.
 */
export interface UnitOfWork {
  transactionally<T>(work: () => Promise<T>): Promise<T>;
}
