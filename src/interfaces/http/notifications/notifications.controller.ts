import { Router } from 'express';
import type { ListUserNotificationsUseCase } from '../../../application/notifications/list-user-notifications.use-case';
import { validateQuery } from '../validation/validate-body';
import { ListNotificationsQueryDto } from './list-notifications.query.dto';

export interface NotificationsControllerDependencies {
  listUserNotifications: ListUserNotificationsUseCase;
}

export function createNotificationsRouter({
  listUserNotifications,
}: NotificationsControllerDependencies): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = await validateQuery(ListNotificationsQueryDto, req.query);
    const notifications = await listUserNotifications.execute({ userId: query.userId });
    res.json({ notifications });
  });

  return router;
}
