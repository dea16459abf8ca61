import { describe, expect, it } from 'vitest';
import { fmtMs, fmtUsd } from '../../web/src/format.js';

describe('dashboard number formats', () => {
  it.each([
    [0.36, '0.4 ms'],
    [9.94, '9.9 ms'],
    [420.4, '420 ms'],
    [999.4, '999 ms'],
    [999.6, '1.00 s'],
    [1_234, '1.23 s'],
  ])('%s ms reads %s', (ms, text) => expect(fmtMs(ms)).toBe(text));

  it.each([
    [0, '$0.00'],
    [0.0000045, '$0.000005'],
    [0.00004, '$0.000040'],
    [0.0123, '$0.0123'],
    [0.99996, '$1.00'],
    [1234.5, '$1,234.50'],
  ])('$%s reads %s', (usd, text) => expect(fmtUsd(usd)).toBe(text));
});
