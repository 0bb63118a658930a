import { type Container } from 'inversify';
import { GetUserUseCase } from '../../../application/users/get-user.use-case';
import { RegisterUserUseCase } from '../../../application/users/register-user.use-case';
import { USER_EVENTS } from '../../../domain/users/user.events';
import { jsonBody } from '../../../interfaces/http/middleware/json-body.middleware';
import { createUsersRouter } from '../../../interfaces/http/users/users.controller';
import { PostgresUserRepository } from '../../persistence/users/postgres-user.repository';
import { provideUseCase } from '../provide-use-case';
import { provide } from '../token';
import { TOKENS } from '../tokens';

/** The users context: its repository, use cases, the events it publishes and its routes. */
export function bindUsersContext(container: Container): void {
  provide(container, TOKENS.PublishedEvents, [], () => USER_EVENTS);
  provide(
    container,
    TOKENS.UserRepository,
    [TOKENS.Database],
    (database) => new PostgresUserRepository(database),
  );

  provideUseCase(
    container,
    TOKENS.RegisterUserUseCase,
    [TOKENS.UnitOfWork, TOKENS.UserRepository, TOKENS.EventPublisher],
    (unitOfWork, users, publisher) => new RegisterUserUseCase(unitOfWork, users, publisher),
  );
  provideUseCase(
    container,
    TOKENS.GetUserUseCase,
    [TOKENS.UserRepository],
    (users) => new GetUserUseCase(users),
  );

  provide(
    container,
    TOKENS.HttpRoute,
    [TOKENS.AppConfig, TOKENS.RegisterUserUseCase, TOKENS.GetUserUseCase],
    (config, registerUser, getUser) => ({
      path: '/users',
      router: createUsersRouter({ registerUser, getUser, jsonBody: jsonBody(config.service.bodyLimit) }),
    }),
  );
}
