import { IsEmail, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';

/**
 * The shape of POST /users. It rejects what is plainly wrong before the use case runs; the domain's
 * value objects remain the authority (they also normalise), so some inputs pass here and fail there.
 */
export class RegisterUserRequestDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  // Counts surrogate pairs as one character, like the domain's code-point count.
  @IsString()
  @Length(1, 100)
  name!: string;
}
