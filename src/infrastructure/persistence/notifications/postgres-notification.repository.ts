import { Notification } from '../../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../../domain/notifications/notification.repository.port';
import { executionContext } from '../../context/execution-context';
import type { Database } from '../database/database';

interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  recipient: string;
  message: string;
  source_event_id: string;
  created_at: Date;
  [column: string]: unknown;
}

/** Notifications in the `notifications` table, scoped to the current tenant. */
export class PostgresNotificationRepository implements NotificationRepository {
  constructor(private readonly database: Database) {}

  async save(notification: Notification): Promise<void> {
    const n = notification.toPrimitives();
    await this.database.query(
      `INSERT INTO notifications (tenant_id, id, user_id, kind, recipient, message, source_event_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO NOTHING`,
      [
        executionContext.tenantId(),
        n.id,
        n.userId,
        n.kind,
        n.recipient,
        n.message,
        n.sourceEventId,
        n.createdAt,
      ],
    );
  }

  async findByUserId(userId: string): Promise<Notification[]> {
    const rows = await this.database.query<NotificationRow>(
      `SELECT id, user_id, kind, recipient, message, source_event_id, created_at
       FROM notifications WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at, id`,
      [executionContext.tenantId(), userId],
    );
    return rows.map((row) =>
      Notification.fromPrimitives({
        id: row.id,
        userId: row.user_id,
        kind: row.kind,
        recipient: row.recipient,
        message: row.message,
        sourceEventId: row.source_event_id,
        createdAt: row.created_at.toISOString(),
      }),
    );
  }
}
