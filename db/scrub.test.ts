import { describe, expect, it } from 'vitest';
import { scrub } from './scrub.ts';

describe('scrub', () => {
  it('copies keys that are Object.prototype members as own keys, and leaves the prototype alone', () => {
    const listed = JSON.parse(
      '{"name":"__proto__","inputSchema":{"type":"object","properties":{"__proto__":{"type":"string","description":"a\\u0000b"},"constructor":{"type":"number"},"hasOwnProperty":{}}},' +
        '"annotations":{"__proto__":{"polluted":true},"toString":"x"}}',
    ) as Record<string, unknown>;
    const out = scrub(listed);
    expect(JSON.stringify(out)).toBe(JSON.stringify(listed).replace('a\\u0000b', 'a\uFFFDb'));
    const properties = (out.inputSchema as { properties: object }).properties;
    expect(Object.keys(properties)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(properties, '__proto__')).toMatchObject({ value: { type: 'string', description: 'a\uFFFDb' }, enumerable: true });
    expect(Object.getPrototypeOf(out.annotations)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('replaces NUL in keys as in values', () => {
    const out = scrub(JSON.parse('{"\\u0000":1,"__proto__\\u0000":2}') as Record<string, unknown>);
    expect(out).toEqual({ '\uFFFD': 1, '__proto__\uFFFD': 2 });
  });
});
