import { type Container } from 'inversify';
import { GetUserUseCase } from '../../../application/users/get-user.use-case';
import { RegisterUserUseCase } from '../../../application/users/register-user.use-case';
import { RenameUserUseCase } from '../../../application/users/rename-user.use-case';
import { USER_EVENTS } from '../../../domain/users/user.events';
import { type UserRepository } from '../../../domain/users/user.repository.port';
import { jsonBody } from '../../../interfaces/http/middleware/json-body.middleware';
import { createUsersRouter, USERS_ROUTE_DOCS } from '../../../interfaces/http/users/users.controller';
import { PostgresUserRepository } from '../../persistence/users/postgres-user.repository';
import { provideUseCase } from '../provide-use-case';
import { provide, token } from '../token';
import { TOKENS } from '../tokens';

/** The users context's own identifiers: nothing outside this module resolves them. */
export const USERS = {
  UserRepository: token<UserRepository>('UserRepository'),
  RegisterUserUseCase: token<RegisterUserUseCase>('RegisterUserUseCase'),
  GetUserUseCase: token<GetUserUseCase>('GetUserUseCase'),
  RenameUserUseCase: token<RenameUserUseCase>('RenameUserUseCase'),
} as const;

/** The users context: its repository, use cases, the events it publishes and its routes. */
export function bindUsersContext(container: Container): void {
  provide(container, TOKENS.PublishedEvents, [], () => USER_EVENTS);
  provide(
    container,
    USERS.UserRepository,
    [TOKENS.Database],
    (database) => new PostgresUserRepository(database),
  );

  provideUseCase(
    container,
    USERS.RegisterUserUseCase,
    [TOKENS.UnitOfWork, USERS.UserRepository, TOKENS.EventPublisher],
    (unitOfWork, users, publisher) => new RegisterUserUseCase(unitOfWork, users, publisher),
  );
  provideUseCase(
    container,
    USERS.GetUserUseCase,
    [USERS.UserRepository],
    (users) => new GetUserUseCase(users),
  );
  provideUseCase(
    container,
    USERS.RenameUserUseCase,
    [TOKENS.UnitOfWork, USERS.UserRepository, TOKENS.EventPublisher],
    (unitOfWork, users, publisher) => new RenameUserUseCase(unitOfWork, users, publisher),
  );

  provide(
    container,
    TOKENS.HttpRoute,
    [TOKENS.AppConfig, USERS.RegisterUserUseCase, USERS.GetUserUseCase, USERS.RenameUserUseCase],
    (config, registerUser, getUser, renameUser) => ({
      path: '/users',
      router: createUsersRouter({
        registerUser,
        getUser,
        renameUser,
        jsonBody: jsonBody(config.service.bodyLimit),
      }),
      docs: USERS_ROUTE_DOCS,
    }),
  );
}
