import { Router, type RequestHandler } from 'express';
import type { GetUserUseCase } from '../../../application/users/get-user.use-case';
import type { RegisterUserUseCase } from '../../../application/users/register-user.use-case';
import type { RenameUserUseCase } from '../../../application/users/rename-user.use-case';
import { pathParameter, type RouteDocs } from '../docs/route-docs';
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

const USER_VIEW = {
  type: 'object',
  required: ['id', 'email', 'name', 'registeredAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    registeredAt: { type: 'string', format: 'date-time' },
  },
};
const USER_ID = pathParameter('id', 'The user id (a UUID; case does not matter)');
const REFUSED_BODY = {
  400: { description: 'The body is not valid: every field problem is listed' },
  413: { description: 'The body is over the limit' },
  415: { description: 'The body is not JSON' },
  422: { description: 'The domain refused a value (e.g. USER_INVALID_NAME)' },
  503: { description: 'The database is unavailable; retry after Retry-After' },
};

export const USERS_ROUTE_DOCS: RouteDocs = {
  '/': {
    post: {
      summary: 'Register a user; users.user.registered follows through the bus',
      body: RegisterUserRequestDto,
      responses: {
        201: {
          description: 'Registered; Location names the new user',
          schema: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string', format: 'uuid' } },
          },
        },
        409: { description: 'A user with this email exists (USER_ALREADY_EXISTS)' },
        ...REFUSED_BODY,
      },
    },
  },
  '/{id}': {
    get: {
      summary: 'Read a user',
      parameters: [USER_ID],
      responses: {
        200: { description: 'The user', schema: USER_VIEW },
        404: { description: 'No such user' },
      },
    },
    patch: {
      summary: "Change a user's name; users.user.renamed follows through the bus",
      parameters: [USER_ID],
      body: RenameUserRequestDto,
      responses: {
        200: { description: 'The renamed user', schema: USER_VIEW },
        404: { description: 'No such user' },
        ...REFUSED_BODY,
      },
    },
  },
};
