import { findTopLevelValue, setTopLevelField } from './json-splice';

describe('setTopLevelField', () => {
  it('replaces only the top-level value and keeps every other byte', () => {
    const body =
      '{"messages":[{"role":"user","content":"say \\"model\\": 1","model":"inner"}],"model" : "gpt-4o" ,"seed":12345678901234567890,"temperature":1.0}';
    const out = setTopLevelField(body, 'model', '"gpt-4o-2024-08-06"');
    expect(out).toBe(
      '{"messages":[{"role":"user","content":"say \\"model\\": 1","model":"inner"}],"model" : "gpt-4o-2024-08-06" ,"seed":12345678901234567890,"temperature":1.0}',
    );
  });

  it('appends a missing field before the closing brace', () => {
    expect(setTopLevelField('{"stream":true}\n', 'stream_options', '{"include_usage":true}')).toBe(
      '{"stream":true,"stream_options":{"include_usage":true}}\n',
    );
    expect(setTopLevelField('{ }', 'a', '1')).toBe('{"a":1}');
  });

  it('replaces object, array, number, literal and escaped-string values', () => {
    const body = '{"o":{"x":[1,{"y":"}"}]},"a":[["]"]],"n":-1.5e3,"b":false,"s":"a\\\\","z":null}';
    expect(setTopLevelField(body, 'o', '0')).toBe(
      '{"o":0,"a":[["]"]],"n":-1.5e3,"b":false,"s":"a\\\\","z":null}',
    );
    expect(setTopLevelField(body, 'a', '0')).toBe(
      '{"o":{"x":[1,{"y":"}"}]},"a":0,"n":-1.5e3,"b":false,"s":"a\\\\","z":null}',
    );
    expect(setTopLevelField(body, 'n', '0')).toBe(
      '{"o":{"x":[1,{"y":"}"}]},"a":[["]"]],"n":0,"b":false,"s":"a\\\\","z":null}',
    );
    expect(setTopLevelField(body, 's', '0')).toBe(
      '{"o":{"x":[1,{"y":"}"}]},"a":[["]"]],"n":-1.5e3,"b":false,"s":0,"z":null}',
    );
    expect(setTopLevelField(body, 'z', '0')).toBe(
      '{"o":{"x":[1,{"y":"}"}]},"a":[["]"]],"n":-1.5e3,"b":false,"s":"a\\\\","z":0}',
    );
  });

  it('matches keys written with escapes', () => {
    expect(findTopLevelValue('{"mo\\u0064el":"x"}', 'model')).toEqual({ start: 14, end: 17 });
  });

  it('agrees with JSON.parse on randomly nested documents', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const value = (depth: number): unknown => {
      const pick = random();
      if (depth > 3 || pick < 0.3) return ['x"}]', 12.5, true, null, 'é\\n'][Math.floor(random() * 5)];
      if (pick < 0.6) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 3) }, (_, i) => [`k${i}`, value(depth + 1)]),
      );
    };
    for (let round = 0; round < 200; round++) {
      const doc = { a: value(0), model: value(0), b: value(0) };
      const text = JSON.stringify(doc, null, round % 2 === 0 ? 0 : 2);
      const edited = JSON.parse(setTopLevelField(text, 'model', '"m"')) as Record<string, unknown>;
      expect(edited).toEqual({ ...doc, model: 'm' });
    }
  });
});
