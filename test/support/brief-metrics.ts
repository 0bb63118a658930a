/** The metric names brief §5 requires (prom-client writes the `_total` suffixes as given). */
export const BRIEF_METRICS = [
  'eventbus_messages_published_total',
  'eventbus_messages_consumed_total',
  'eventbus_publish_errors_total',
  'eventbus_consume_errors_total',
  'eventbus_connection_errors_total',
  'eventbus_last_health_check_timestamp_seconds',
  'eventbus_health_check_status',
  'eventbus_publish_duration_seconds',
  'eventbus_handler_duration_seconds',
  'eventbus_messages_in_flight',
  'eventbus_messages_retried_total',
  'eventbus_messages_dead_lettered_total',
  'eventbus_reconnects_total',
] as const;
