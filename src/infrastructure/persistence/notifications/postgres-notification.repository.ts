import { Notification, type NotificationKind } from '../../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../../domain/notifications/notification.repository.port';
import type { Database } from '../database/database';

interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  recipient: string;
  message: string;
  source_event_id: string;
  created_at: Date;
  [column: string]: unknown;
}

export class PostgresNotificationRepository implements NotificationRepository {
  constructor(private readonly database: Database) {}

  async save(notification: Notification): Promise<void> {
    const n = notification.toPrimitives();
    await this.database.query(
      `INSERT INTO notifications (id, user_id, kind, recipient, message, source_event_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING`,
      [n.id, n.userId, n.kind, n.recipient, n.message, n.sourceEventId, n.createdAt],
    );
  }

  async findByUserId(userId: string): Promise<Notification[]> {
    const rows = await this.database.query<NotificationRow>(
      `SELECT id, user_id, kind, recipient, message, source_event_id, created_at
       FROM notifications WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
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
