import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import { RequestValidationError, type FieldError } from '../errors/http-errors';

// Always passed explicitly: class-validator's defaults for these changed between versions.
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/** Field name reported when the body as a whole is not an object (an array, a string, nothing). */
export const BODY_FIELD = '(body)';

/** The request body as a validated DTO instance, or a RequestValidationError listing every bad field. */
export function validateBody<T extends object>(dtoClass: ClassConstructor<T>, body: unknown): Promise<T> {
  return validateInput(dtoClass, body, 'Request body', BODY_FIELD);
}

/** The query string as a validated DTO instance, or a RequestValidationError listing every bad field. */
export function validateQuery<T extends object>(dtoClass: ClassConstructor<T>, query: unknown): Promise<T> {
  return validateInput(dtoClass, query, 'Query string', '(query)');
}

async function validateInput<T extends object>(
  dtoClass: ClassConstructor<T>,
  input: unknown,
  source: string,
  rootField: string,
): Promise<T> {
  // plainToInstance maps an array to an array of DTOs and passes primitives through; neither is a DTO.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RequestValidationError(`${source} must be a JSON object`, [
      { field: rootField, messages: ['must be a JSON object'] },
    ]);
  }
  const dto = plainToInstance(dtoClass, input);
  const errors = await validate(dto, VALIDATOR_OPTIONS);
  if (errors.length > 0) {
    throw new RequestValidationError(`${source} is invalid`, toFieldErrors(errors));
  }
  return dto;
}

function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}
