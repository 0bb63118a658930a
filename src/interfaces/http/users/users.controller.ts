import { Router, type RequestHandler } from 'express';
import type { GetUserUseCase } from '../../../application/users/get-user.use-case';
import type { RegisterUserUseCase } from '../../../application/users/register-user.use-case';
import type { RenameUserUseCase } from '../../../application/users/rename-user.use-case';
import { allowOnly } from '../middleware/allow-only.middleware';
import { validateBody } from '../validation/validate-body';
import { RegisterUserRequestDto } from './register-user.request.dto';
import { RenameUserRequestDto } from './rename-user.request.dto';

export interface UsersControllerDependencies {
  registerUser: RegisterUserUseCase;
  getUser: GetUserUseCase;
  renameUser: RenameUserUseCase;
  /** Content-type check and JSON parser for the routes that take a body. */
  jsonBody: RequestHandler[];
}

export function createUsersRouter({
  registerUser,
  getUser,
  renameUser,
  jsonBody,
}: UsersControllerDependencies): Router {
  const router = Router();

  router
    .route('/')
    .post(...jsonBody, async (req, res) => {
      const request = await validateBody(RegisterUserRequestDto, req.body);
      const { id } = await registerUser.execute({ email: request.email, name: request.name });
      res
        .status(201)
        .location(`${req.baseUrl}/${encodeURIComponent(id)}`)
        .json({ id });
    })
    .all(allowOnly('POST'));

  router
    .route('/:id')
    .get(async (req, res) => {
      res.json(await getUser.execute({ id: req.params.id }));
    })
    .patch(...jsonBody, async (req, res) => {
      const request = await validateBody(RenameUserRequestDto, req.body);
      res.json(await renameUser.execute({ id: req.params.id, name: request.name }));
    })
    .all(allowOnly('GET', 'PATCH'));

  return router;
}
