import { UserAlreadyExistsError } from '../../../src/domain/users/user.errors';
import { UserId } from '../../../src/domain/users/user-id.value-object';
import { executionContext } from '../../../src/infrastructure/context/execution-context';
import { OutsideTransactionError } from '../../../src/infrastructure/persistence/outbox/outbox.event-publisher';
import { countRows, outboxRows, persistenceOver } from '../../support/database/persistence-fixture';
import {
  createTestDatabase,
  describeOnEachDatabase,
  type TestDatabase,
} from '../../support/database/test-databases';
import { EmailMother } from '../../support/mothers/users/email.mother';
import { NotificationMother } from '../../support/mothers/notifications/notification.mother';
import { RegisterUserCommandMother } from '../../support/mothers/users/register-user-command.mother';
import { UserMother } from '../../support/mothers/users/user.mother';

jest.setTimeout(60_000);

describeOnEachDatabase('repositories, unit of work and outbox', (driver) => {
  let test: TestDatabase;
  let p: ReturnType<typeof persistenceOver>;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(() => test.dispose());

  beforeEach(async () => {
    await test.database.execScript('TRUNCATE users, notifications, outbox, inbox');
    p = persistenceOver(test.database);
  });

  describe('users', () => {
    it('saves a user and finds it by id, with every field intact', async () => {
      const user = UserMother.existing({ registeredAt: new Date('2025-03-04T05:06:07.089Z') });

      await p.users.save(user);

      expect((await p.users.findById(user.id))?.toPrimitives()).toEqual(user.toPrimitives());
      expect(await p.users.findById(UserId.generate())).toBeNull();
    });

    it('rejects a second user with the same email, whatever its case', async () => {
      await p.users.save(UserMother.existing({ email: EmailMother.create('taken@example.com') }));
      const twin = UserMother.existing();
      // Written around the value object, as another writer might: the index still compares lower-case.
      await expect(
        test.database.query(
          `INSERT INTO users (tenant_id, id, email, name, registered_at) VALUES ('default', $1, 'TAKEN@example.com', 'x', now())`,
          [twin.id.value],
        ),
      ).rejects.toMatchObject({ code: '23505' });
      await expect(
        p.users.save(UserMother.existing({ email: EmailMother.create('taken@example.com') })),
      ).rejects.toThrow(UserAlreadyExistsError);
      expect(await countRows(test.database, 'users')).toBe(1);
    });
  });

  describe('notifications', () => {
    it('lists a user’s notifications oldest first, and only theirs', async () => {
      const userId = UserId.generate().value;
      const later = NotificationMother.welcome({ userId, createdAt: new Date('2025-01-02T00:00:00Z') });
      const earlier = NotificationMother.welcome({ userId, createdAt: new Date('2025-01-01T00:00:00Z') });
      await p.notifications.save(later);
      await p.notifications.save(earlier);
      await p.notifications.save(NotificationMother.welcome());

      const found = await p.notifications.findByUserId(userId);

      expect(found.map((n) => n.toPrimitives())).toEqual([earlier.toPrimitives(), later.toPrimitives()]);
    });
  });

  describe('registering a user (use case over the real adapters)', () => {
    it('commits the user and its event together, the event ready for the relay', async () => {
      const { id } = await p.registerUser.execute(
        RegisterUserCommandMother.create({ email: 'ada@example.com' }),
      );

      expect(await p.users.findById(new UserId(id))).not.toBeNull();
      const rows = await outboxRows(test.database);
      expect(rows).toEqual([
        expect.objectContaining({ aggregateId: id, topic: 'users.events', status: 'pending', attempts: 0 }),
      ]);
      const [claimed] = await p.outbox.claim('reader', 10, 60_000);
      const { event } = p.serializer.deserialize(claimed!.payload);
      expect(event).toMatchObject({
        eventName: 'users.user.registered',
        aggregateId: id,
        email: 'ada@example.com',
      });
      expect(claimed!.eventId).toBe(event.eventId);
    });

    it('stores neither user nor event when the email is taken', async () => {
      await p.registerUser.execute(RegisterUserCommandMother.create({ email: 'ada@example.com' }));

      await expect(
        p.registerUser.execute(RegisterUserCommandMother.create({ email: ' ADA@example.com' })),
      ).rejects.toThrow(UserAlreadyExistsError);

      expect(await countRows(test.database, 'users')).toBe(1);
      expect(await countRows(test.database, 'outbox')).toBe(1);
    });

    it('lets exactly one of ten concurrent registrations of one email through', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          p.registerUser.execute(RegisterUserCommandMother.create({ email: 'race@example.com' })),
        ),
      );

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(r.reason).toBeInstanceOf(UserAlreadyExistsError);
      }
      expect(await countRows(test.database, 'users')).toBe(1);
      expect(await countRows(test.database, 'outbox')).toBe(1);
    });
  });

  describe('unit of work', () => {
    it('rolls back the aggregate and its events together when the work fails', async () => {
      const user = UserMother.registered();

      await expect(
        p.unitOfWork.transactionally(async () => {
          await p.users.save(user);
          await p.publisher.publish(user.pullDomainEvents());
          throw new Error('failure after the writes');
        }),
      ).rejects.toThrow('failure after the writes');

      expect(await p.users.findById(user.id)).toBeNull();
      expect(await countRows(test.database, 'outbox')).toBe(0);
    });

    it('keeps the events of one call in order', async () => {
      const a = UserMother.registered();
      const b = UserMother.registered();
      const events = [...a.pullDomainEvents(), ...b.pullDomainEvents()];

      await p.unitOfWork.transactionally(() => p.publisher.publish(events));

      expect((await outboxRows(test.database)).map((row) => row.eventId)).toEqual(
        events.map((e) => e.eventId),
      );
    });

    it('refuses to record events outside a unit of work', async () => {
      await expect(p.publisher.publish(UserMother.registered().pullDomainEvents())).rejects.toThrow(
        OutsideTransactionError,
      );
      expect(await countRows(test.database, 'outbox')).toBe(0);
    });
  });

  describe('tenants', () => {
    const asTenant = <T>(tenantId: string, work: () => Promise<T>): Promise<T> =>
      executionContext.run({ correlationId: `request-${tenantId}`, tenantId }, work);

    it("lets two tenants register the same email, and keeps each one's data out of the other's reach", async () => {
      const acme = await asTenant('acme', () =>
        p.registerUser.execute(RegisterUserCommandMother.create({ email: 'same@example.com' })),
      );
      const globex = await asTenant('globex', () =>
        p.registerUser.execute(RegisterUserCommandMother.create({ email: 'same@example.com' })),
      );

      expect(await asTenant('acme', () => p.users.findById(new UserId(acme.id)))).not.toBeNull();
      expect(await asTenant('acme', () => p.users.findById(new UserId(globex.id)))).toBeNull();
      expect(await asTenant('globex', () => p.users.findById(new UserId(acme.id)))).toBeNull();
      await expect(
        asTenant('acme', () =>
          p.registerUser.execute(RegisterUserCommandMother.create({ email: 'SAME@example.com' })),
        ),
      ).rejects.toThrow(UserAlreadyExistsError);
      const rows = await test.database.query<{ tenant_id: string; message_key: string }>(
        'SELECT tenant_id, message_key FROM outbox ORDER BY id',
      );
      expect(rows).toEqual([
        { tenant_id: 'acme', message_key: `acme/${acme.id}` },
        { tenant_id: 'globex', message_key: `globex/${globex.id}` },
      ]);
    });

    it("does not let a tenant overwrite another tenant's user by its id", async () => {
      const user = UserMother.existing();
      await asTenant('acme', () => p.users.save(user));

      await asTenant('globex', () => p.users.save(user));

      const [row] = await test.database.query<{ tenant_id: string }>(
        'SELECT tenant_id FROM users WHERE id = $1',
        [user.id.value],
      );
      expect(row?.tenant_id).toBe('acme');
      expect(await asTenant('globex', () => p.users.findById(user.id))).toBeNull();
    });

    it('lists notifications of the current tenant only', async () => {
      const userId = UserId.generate().value;
      await asTenant('acme', () => p.notifications.save(NotificationMother.welcome({ userId })));

      expect(await asTenant('acme', () => p.notifications.findByUserId(userId))).toHaveLength(1);
      expect(await asTenant('globex', () => p.notifications.findByUserId(userId))).toEqual([]);
    });
  });

  describe('inbox', () => {
    it('runs the work once when the same event is handled twice in a row', async () => {
      let runs = 0;
      const work = async (): Promise<void> => {
        runs++;
        await p.notifications.save(NotificationMother.welcome());
      };

      expect(await p.inbox.handleOnce('consumer-a', 'event-1', work)).toBe(true);
      expect(await p.inbox.handleOnce('consumer-a', 'event-1', work)).toBe(false);
      // Another consumer has its own record of the same event.
      expect(await p.inbox.handleOnce('consumer-b', 'event-1', work)).toBe(true);

      expect(runs).toBe(2);
      expect(await countRows(test.database, 'notifications')).toBe(2);
    });

    it('runs the work once when two deliveries of one event arrive at the same time', async () => {
      let runs = 0;
      const work = async (): Promise<void> => {
        runs++;
        await p.notifications.save(NotificationMother.welcome());
      };

      const handled = await Promise.all(
        Array.from({ length: 5 }, () => p.inbox.handleOnce('consumer-a', 'event-2', work)),
      );

      expect(handled.filter(Boolean)).toHaveLength(1);
      expect(runs).toBe(1);
      expect(await countRows(test.database, 'notifications')).toBe(1);
    });

    it('keeps neither the effects nor the record when the work fails, so a retry runs it', async () => {
      await expect(
        p.inbox.handleOnce('consumer-a', 'event-3', async () => {
          await p.notifications.save(NotificationMother.welcome());
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      expect(await countRows(test.database, 'notifications')).toBe(0);
      expect(await countRows(test.database, 'inbox')).toBe(0);

      expect(
        await p.inbox.handleOnce('consumer-a', 'event-3', () =>
          p.notifications.save(NotificationMother.welcome()),
        ),
      ).toBe(true);
      expect(await countRows(test.database, 'notifications')).toBe(1);
    });
  });
});
