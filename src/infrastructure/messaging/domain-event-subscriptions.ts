import type { DomainEventSubscriber } from '../../application/shared/domain-event-subscriber';
import { executionContext } from '../context/execution-context';
import { resolveTenant, type TenancyMode } from '../context/tenant';
import type { EventBus, EventBusLogger, MessageContext, MessageHandler, Subscription } from '../eventbus';
import { deadLetterUndecodableMessage, describeReason } from './dead-letter-undecodable-message';
import type { DomainEventRegistry } from './domain-event-registry';
import type { DeserializedDomainEvent, DomainEventSerializer } from './domain-event.serializer';
import type { Inbox } from './inbox';
import { InvalidEventTenantError, MessagingConfigurationError } from './messaging.errors';
import { topicForEventName } from './topic-naming';

export interface DomainEventSubscriptionsOptions {
  /** Must match the bus's `deadLetter.topicSuffix`, so every dead letter of a topic lands in one place. */
  readonly deadLetterSuffix?: string;
  /** How an event's tenant is read (default `off`: every event belongs to the default tenant). */
  readonly tenancy?: TenancyMode;
}

/** One bus subscription: a subscriber on one context topic, and the event names it reacts to there. */
interface PlannedSubscription {
  readonly subscriber: DomainEventSubscriber;
  readonly topic: string;
  readonly eventNames: ReadonlySet<string>;
}

/**
 * Connects the application's subscribers to the bus. Each subscriber is its own consumer group (its
 * `subscriberName`), so every reaction sees every event however many instances run, and handles it
 * through the inbox, so a redelivered event has no second effect.
 */
export class DomainEventSubscriptions {
  private readonly deadLetterSuffix: string;
  private readonly tenancy: TenancyMode;
  private subscriptions: Subscription[] = [];
  private startup: Promise<void> | undefined;
  private isRunning = false;

  constructor(
    private readonly bus: EventBus,
    private readonly registry: DomainEventRegistry,
    private readonly serializer: DomainEventSerializer,
    private readonly subscribers: readonly DomainEventSubscriber[],
    private readonly inbox: Inbox,
    private readonly logger: EventBusLogger,
    options: DomainEventSubscriptionsOptions = {},
  ) {
    this.deadLetterSuffix = options.deadLetterSuffix ?? '.dlq';
    this.tenancy = options.tenancy ?? 'off';
  }

  /** For readiness: true once every subscription is in place, false again from `stop()`. */
  get running(): boolean {
    return this.isRunning;
  }

  /** Idempotent. Wiring mistakes reject here, at start-up; a failed start leaves nothing subscribed. */
  start(): Promise<void> {
    this.startup ??= this.subscribeAll().catch((error: unknown) => {
      // Forgotten so that a later start() tries again (a broker may be back by then).
      this.startup = undefined;
      throw error;
    });
    return this.startup;
  }

  /** Unsubscribes everything, letting in-flight handlers finish (bounded by the bus's shutdown timeout). */
  async stop(): Promise<void> {
    const startup = this.startup;
    this.startup = undefined;
    // A start still in progress would otherwise add subscriptions after we removed them.
    await startup?.catch(() => undefined);
    this.isRunning = false;
    await this.unsubscribeAll();
  }

  private async subscribeAll(): Promise<void> {
    try {
      for (const planned of this.plan()) {
        const handler = this.handlerFor(planned);
        this.subscriptions.push(
          await this.bus.subscribe(planned.topic, handler, { group: planned.subscriber.subscriberName }),
        );
        this.logger.info(
          { topic: planned.topic, group: planned.subscriber.subscriberName, events: [...planned.eventNames] },
          'domain event subscriber started',
        );
      }
      this.isRunning = true;
    } catch (error) {
      await this.unsubscribeAll();
      throw error;
    }
  }

  private async unsubscribeAll(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
  }

  /** Groups each subscriber's events by topic, so a subscriber joins each context topic once. */
  private plan(): PlannedSubscription[] {
    const names = new Set<string>();
    const planned: PlannedSubscription[] = [];
    for (const subscriber of this.subscribers) {
      // Two subscribers in one group would compete for messages, each missing the other's share.
      if (names.has(subscriber.subscriberName)) {
        throw new MessagingConfigurationError(`two subscribers are named "${subscriber.subscriberName}"`);
      }
      names.add(subscriber.subscriberName);
      const byTopic = new Map<string, Set<string>>();
      for (const eventClass of subscriber.subscribedTo()) {
        // Unregistered, its messages would be dead-lettered as unknown instead of handled.
        if (this.registry.get(eventClass.EVENT_NAME) !== eventClass) {
          throw new MessagingConfigurationError(
            `subscriber "${subscriber.subscriberName}" handles "${eventClass.EVENT_NAME}", which is not in the event registry`,
          );
        }
        const topic = topicForEventName(eventClass.EVENT_NAME);
        byTopic.set(topic, (byTopic.get(topic) ?? new Set()).add(eventClass.EVENT_NAME));
      }
      if (byTopic.size === 0) {
        throw new MessagingConfigurationError(`subscriber "${subscriber.subscriberName}" handles no event`);
      }
      for (const [topic, eventNames] of byTopic) planned.push({ subscriber, topic, eventNames });
    }
    return planned;
  }

  private handlerFor({ subscriber, eventNames }: PlannedSubscription): MessageHandler {
    return async (message, context) => {
      let decoded: DeserializedDomainEvent;
      try {
        decoded = this.serializer.deserialize(message);
      } catch (error) {
        await this.reject(message, context, error, 'undecodable event message dead-lettered');
        return;
      }
      const { event, metadata } = decoded;
      // The topic carries the whole context's events; the ones this reaction did not ask for are acked.
      if (!eventNames.has(event.eventName)) return;
      const tenant = resolveTenant(metadata.tenantId, this.tenancy);
      if ('problem' in tenant) {
        const reason = new InvalidEventTenantError(`event ${event.eventId}: ${tenant.problem}`);
        await this.reject(message, context, reason, 'event without a valid tenant dead-lettered');
        return;
      }
      // The subscriber works in the event's tenant; events it publishes continue this chain and name
      // this event as their cause.
      const work = {
        correlationId: metadata.correlationId,
        causationId: event.eventId,
        tenantId: tenant.tenantId,
      };
      await executionContext.run(work, () =>
        this.inbox.handleOnce(subscriber.subscriberName, event.eventId, () => subscriber.on(event)),
      );
    };
  }

  /** Retrying cannot fix these (decoding and the tenant check are deterministic): dead-lettered at once. */
  private async reject(
    message: Uint8Array,
    context: MessageContext,
    reason: unknown,
    logMessage: string,
  ): Promise<void> {
    await deadLetterUndecodableMessage(this.bus, message, context, reason, this.deadLetterSuffix);
    this.logger.warn(
      {
        topic: context.topic,
        group: context.group,
        messageId: context.messageId,
        reason: describeReason(reason),
      },
      logMessage,
    );
  }
}
