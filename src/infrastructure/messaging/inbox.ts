/**
 * Remembers which events each consumer handled, so that at-least-once delivery yields exactly-once
 * effects. Implemented by the persistence adapter.
 */
export interface Inbox {
  /**
   * Runs `work` unless `consumer` already handled `eventId`, in one transaction with the record that
   * it did: the effects of `work` and the record commit together, and a failure leaves neither.
   * Two concurrent calls for one event run `work` once. Resolves `false` when it was a duplicate.
   */
  handleOnce(consumer: string, eventId: string, work: () => Promise<void>): Promise<boolean>;
}
