import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The query of GET /notifications. A repeated `userId` arrives as an array and fails `IsString`. */
export class ListNotificationsQueryDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  userId!: string;
}
