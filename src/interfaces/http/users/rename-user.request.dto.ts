import { IsString, Length } from 'class-validator';

/** The shape of PATCH /users/:id; the domain's UserName stays the authority on what a name is. */
export class RenameUserRequestDto {
  @IsString()
  @Length(1, 100)
  name!: string;
}
