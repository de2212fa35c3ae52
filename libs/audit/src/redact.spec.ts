import { canonicalJson } from './canonical-json';
import { rowHash } from './audit-entry';
import { redact } from './redact';

describe('redact', () => {
  it('blanks secret-named fields at any depth and keeps the rest', () => {
    expect(
      redact({
        name: 'openai',
        api_key: 'sk-1',
        nested: [{ token: 't', keep: 1 }],
        key_hash: 'abc',
        prefix: 'sk-sy-ab',
      }),
    ).toEqual({
      name: 'openai',
      api_key: '[redacted]',
      nested: [{ token: '[redacted]', keep: 1 }],
      key_hash: '[redacted]',
      prefix: 'sk-sy-ab',
    });
  });
});

describe('rowHash', () => {
  const fields = {
    tenantId: 't1',
    actorType: 'platform',
    actorId: 'a',
    actorRole: 'owner',
    action: 'tenant.create',
    targetType: 'tenant',
    targetId: 't1',
    before: null,
    after: { b: 1, a: { d: 2, c: 3 } },
    ip: '127.0.0.1',
    userAgent: 'curl',
    requestId: 'r1',
    createdAt: new Date('2026-11-29T10:00:00.000Z'),
    prevHash: null,
  };

  it('does not depend on key order (jsonb reorders keys)', () => {
    expect(rowHash({ ...fields, after: { a: { c: 3, d: 2 }, b: 1 } })).toBe(rowHash(fields));
    expect(canonicalJson({ b: 1, a: [1, { y: 2, x: 1 }] })).toBe('{"a":[1,{"x":1,"y":2}],"b":1}');
  });

  it('changes with any field and with the previous hash', () => {
    const base = rowHash(fields);
    expect(rowHash({ ...fields, action: 'tenant.update' })).not.toBe(base);
    expect(rowHash({ ...fields, prevHash: 'f'.repeat(64) })).not.toBe(base);
    expect(rowHash({ ...fields, createdAt: new Date('2026-11-29T10:00:00.001Z') })).not.toBe(base);
  });
});
