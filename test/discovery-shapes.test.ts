/** Lenient reading of registry JSON: keys are the registry's, copied as data whatever they are called. */
import { describe, expect, it } from 'vitest';
import { camelKeys } from '../crawler/discovery/shapes.ts';

describe('camelKeys', () => {
  it('renames snake_case keys and copies keys named like Object.prototype members as own keys', () => {
    const body = JSON.parse('{"next_cursor":"c","__proto__":{"polluted":true},"constructor":{"name_x":1},"toString":"t","items":[{"hasOwnProperty":2}]}');
    const out = camelKeys(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['nextCursor', '__proto__', 'constructor', 'toString', 'items']);
    expect(JSON.stringify(out)).toBe('{"nextCursor":"c","__proto__":{"polluted":true},"constructor":{"nameX":1},"toString":"t","items":[{"hasOwnProperty":2}]}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the camelCase key when both spellings are present', () => {
    expect(camelKeys({ next_cursor: 'snake', nextCursor: 'camel' })).toEqual({ nextCursor: 'camel' });
    expect(camelKeys({ nextCursor: 'camel', next_cursor: 'snake' })).toEqual({ nextCursor: 'camel' });
  });
});
