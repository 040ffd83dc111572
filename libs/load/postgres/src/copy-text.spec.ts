import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from './copy-text.js';

describe('copyField', () => {
  it.each([
    { value: null, field: '\\N' },
    { value: undefined, field: '\\N' },
    { value: '', field: '' },
    { value: 'plain', field: 'plain' },
    { value: 'a\tb', field: 'a\\tb' },
    { value: 'a\nb', field: 'a\\nb' },
    { value: 'a\r\nb', field: 'a\\r\\nb' },
    { value: 'C:\\path', field: 'C:\\\\path' },
    { value: '\\N', field: '\\\\N' },
    { value: '中文 🎤', field: '中文 🎤' },
    { value: 1200, field: '1200' },
    { value: 1200.5, field: '1200.5' },
    { value: -3, field: '-3' },
    { value: 0, field: '0' },
    { value: 10n, field: '10' },
    { value: true, field: 'true' },
    { value: new Date('2025-03-25T06:03:22.5Z'), field: '2025-03-25T06:03:22.500Z' },
    { value: '2025-03-25', field: '2025-03-25' },
  ])('writes $value as $field', ({ value, field }) => {
    expect(copyField(value)).toBe(field);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s, which a numeric column would take silently', (value) => {
    expect(() => copyField(value)).toThrow(TypeError);
  });

  it.each([{ a: 1 }, [1], Symbol('x')])('refuses values that are not scalars: %s', (value) => {
    expect(() => copyField(value)).toThrow(/cannot write/);
  });

  it('refuses an invalid Date', () => {
    expect(() => copyField(new Date('nope'))).toThrow(RangeError);
  });
});

describe('copyLine', () => {
  it('joins fields with tabs and ends with a newline', () => {
    expect(copyLine(['a\tb', null, 3, 'x\ny'])).toBe('a\\tb\t\\N\t3\tx\\ny\n');
  });
});
