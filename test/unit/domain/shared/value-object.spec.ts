import { ValueObject } from '../../../../src/domain/shared/value-object';

class Celsius extends ValueObject<number> {
  constructor(value: number) {
    super(value);
  }
}

class Fahrenheit extends ValueObject<number> {
  constructor(value: number) {
    super(value);
  }
}

class Deadline extends ValueObject<Date> {
  constructor(value: Date) {
    super(value);
  }
}

describe('ValueObject', () => {
  it('equals another instance of the same type wrapping the same value', () => {
    expect(new Celsius(21).equals(new Celsius(21))).toBe(true);
  });

  it('differs from an instance wrapping another value', () => {
    expect(new Celsius(21).equals(new Celsius(22))).toBe(false);
  });

  it('differs from another type wrapping the same primitive', () => {
    expect(new Celsius(21).equals(new Fahrenheit(21))).toBe(false);
  });

  it('compares dates by instant, not by reference', () => {
    const instant = '2024-05-01T12:00:00.000Z';

    expect(new Deadline(new Date(instant)).equals(new Deadline(new Date(instant)))).toBe(true);
    expect(new Deadline(new Date(instant)).equals(new Deadline(new Date('2024-05-01T12:00:01.000Z')))).toBe(
      false,
    );
  });
});
