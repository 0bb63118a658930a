import { InvalidArgumentError } from '../../../../src/domain/shared/domain-error';
import { Uuid } from '../../../../src/domain/shared/uuid.value-object';

class OrderId extends Uuid {}

describe('Uuid', () => {
  it('accepts a UUID and stores it lower-cased', () => {
    expect(new OrderId('0190F5A4-7C2E-7B3D-9A1F-3C4D5E6F7A8B').value).toBe(
      '0190f5a4-7c2e-7b3d-9a1f-3c4d5e6f7a8b',
    );
  });

  it('treats the same UUID in another case as equal', () => {
    const lower = new OrderId('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    const upper = new OrderId('3F2504E0-4F89-41D3-9A0C-0305E82C3301');

    expect(lower.equals(upper)).toBe(true);
  });

  it.each(['', 'not-a-uuid', '3f2504e0-4f89-41d3-9a0c-0305e82c330', '3f2504e0-4f89-41d3-9a0c-0305e82c3301 '])(
    'rejects %p naming the concrete type',
    (value) => {
      expect(() => new OrderId(value)).toThrow(InvalidArgumentError);
      expect(() => new OrderId(value)).toThrow(/^OrderId must be a UUID/);
    },
  );

  it('reports validity without throwing', () => {
    expect(OrderId.isValid('3f2504e0-4f89-41d3-9a0c-0305e82c3301')).toBe(true);
    expect(OrderId.isValid('42')).toBe(false);
  });
});
