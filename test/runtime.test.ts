import { describe, expect, it } from 'vitest';
import { pickNodeVersion } from '../crawler/registries/npm/runtime.ts';

describe('pickNodeVersion', () => {
  const versions = ['20.19.0', '22.5.0', '22.23.3', '23.0.0', '24.1.0', '24.15.0', '26.10.0', '27.0.0-rc.1'];

  it('takes the newest release of the lowest major line that satisfies the range', () => {
    expect(pickNodeVersion('>=22.5.0', versions)).toBe('22.23.3');
    expect(pickNodeVersion('^22.22.2 || ^24.15.0 || >=26.0.0', versions)).toBe('22.23.3');
    expect(pickNodeVersion('>=24', versions)).toBe('24.15.0');
  });

  it('never picks a prerelease and returns null when nothing satisfies', () => {
    expect(pickNodeVersion('>=27', versions)).toBeNull();
    expect(pickNodeVersion('>=30', versions)).toBeNull();
  });
});
