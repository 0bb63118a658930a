/** One problem in a configuration; `key` is a dotted path (`eventbus.kafka.brokers`), an env name or a file. */
export interface ConfigIssue {
  key: string;
  message: string;
}

/** Thrown at start-up with every problem found, one line each, so one run shows them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.map((issue) => `${issue.key}: ${issue.message}`).join('\n'));
    this.issues = issues;
  }
}
