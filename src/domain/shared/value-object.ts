export type Primitive = string | number | boolean | Date;

/** An immutable value compared by content, never by reference. */
export abstract class ValueObject<T extends Primitive> {
  protected constructor(readonly value: T) {}

  equals(other: ValueObject<T>): boolean {
    // Different value-object types never match, even when they wrap the same primitive.
    return other.constructor === this.constructor && comparable(other.value) === comparable(this.value);
  }
}

function comparable(value: Primitive): string | number | boolean {
  return value instanceof Date ? value.getTime() : value;
}
