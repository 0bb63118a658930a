/** One application operation. Commands and queries are plain input types, so any adapter can build them. */
export interface UseCase<Input, Output> {
  execute(input: Input): Promise<Output>;
}
