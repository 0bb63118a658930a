export interface RegisterUserCommand {
  email: string;
  name: string;
}
