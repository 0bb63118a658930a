import { Router } from 'express';
import type { ListUserNotificationsUseCase } from '../../../application/notifications/list-user-notifications.use-case';
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
