export interface HealthStatus {
  readonly healthy: boolean;
  /** When the last check ran (publisher) or the last own health message arrived (subscriber). */
  readonly lastSuccessAt: Date | undefined;
  readonly lastError: string | undefined;
  readonly consecutiveFailures: number;
}
