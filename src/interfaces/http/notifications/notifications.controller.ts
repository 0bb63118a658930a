import { Router } from 'express';
import type { ListUserNotificationsUseCase } from '../../../application/notifications/list-user-notifications.use-case';
import { queryParameter, type RouteDocs } from '../docs/route-docs';
import { allowOnly } from '../middleware/allow-only.middleware';
import { validateQuery } from '../validation/validate-body';
import { ListNotificationsQueryDto } from './list-notifications.query.dto';

export interface NotificationsControllerDependencies {
  listUserNotifications: ListUserNotificationsUseCase;
}

export function createNotificationsRouter({
  listUserNotifications,
}: NotificationsControllerDependencies): Router {
  const router = Router();

  router
    .route('/')
    .get(async (req, res) => {
      const query = await validateQuery(ListNotificationsQueryDto, req.query);
      const notifications = await listUserNotifications.execute({ userId: query.userId });
      res.json({ notifications });
    })
    .all(allowOnly('GET'));

  return router;
}

export const NOTIFICATIONS_ROUTE_DOCS: RouteDocs = {
  '/': {
    get: {
      summary: "A user's notifications, oldest first: what the notifications context recorded from events",
      parameters: [queryParameter('userId', 'The user id')],
      responses: {
        200: {
          description: 'The notifications',
          schema: {
            type: 'object',
            required: ['notifications'],
            properties: {
              notifications: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'userId', 'kind', 'recipient', 'message', 'sourceEventId', 'createdAt'],
                  properties: {
                    id: { type: 'string', format: 'uuid' },
                    userId: { type: 'string' },
                    kind: { type: 'string', examples: ['welcome', 'name-changed'] },
                    recipient: { type: 'string' },
                    message: { type: 'string' },
                    sourceEventId: { type: 'string', description: 'The event that caused it' },
                    createdAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
        400: { description: 'userId is missing' },
      },
    },
  },
};
