import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { RequestValidationError } from '../../../../../src/interfaces/http/errors/http-errors';
import { BODY_FIELD, validateBody } from '../../../../../src/interfaces/http/validation/validate-body';

class AddressDto {
  @IsString()
  street!: string;
}

class PersonDto {
  @IsInt()
  age!: number;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

async function validationErrorOf(body: unknown): Promise<RequestValidationError> {
  const error: unknown = await validateBody(PersonDto, body).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as RequestValidationError;
}

describe('validateBody', () => {
  it('returns a DTO instance for a valid body', async () => {
    const dto = await validateBody(PersonDto, { age: 36, address: { street: 'Main St' } });

    expect(dto).toBeInstanceOf(PersonDto);
    expect(dto.address).toBeInstanceOf(AddressDto);
  });

  it('reports nested fields by their dotted path', async () => {
    const error = await validationErrorOf({ age: 36, address: { street: 7 } });

    expect(error.details).toEqual([{ field: 'address.street', messages: ['street must be a string'] }]);
  });

  it('reports unknown properties, nested ones too', async () => {
    const error = await validationErrorOf({
      age: 36,
      address: { street: 'Main St', floor: 2 },
      role: 'admin',
    });

    expect(error.details.map((detail) => detail.field).sort()).toEqual(['address.floor', 'role']);
  });

  it('does not convert types implicitly', async () => {
    const error = await validationErrorOf({ age: '36', address: { street: 'Main St' } });

    expect(error.details.map((detail) => detail.field)).toEqual(['age']);
  });

  it.each([[[]], ['text'], [42], [null], [undefined]])(
    'rejects %p as a body that is not an object',
    async (body) => {
      const error = await validationErrorOf(body);

      expect(error.details).toEqual([{ field: BODY_FIELD, messages: ['must be a JSON object'] }]);
    },
  );
});
