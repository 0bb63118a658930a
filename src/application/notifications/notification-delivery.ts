/** How the notifications context delivers what it records. */
export interface NotificationDeliveryOptions {
  /** How long delivering one notification takes, in ms (`service.notifications.deliveryLatency`; default 0). */
  readonly deliveryLatency?: number;
}

/**
 * Stands for the call to an external provider (email, SMS) that would deliver a notification: the
 * sample records notifications and sends nothing, so this only takes as long as such a call would,
 * to run the service with handlers as slow as real ones. It runs inside the inbox transaction and
 * holds a database connection meanwhile, as a provider call placed there would.
 */
export async function awaitDeliveryProvider(options: NotificationDeliveryOptions): Promise<void> {
  const latency = options.deliveryLatency ?? 0;
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
}
