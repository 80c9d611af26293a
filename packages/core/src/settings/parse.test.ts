import { describe, expect, it } from 'vitest';
import type { Result } from '../result.js';
import {
  parseActivationType,
  parseDomain,
  parseInterval,
  parseKmsAddress,
  parsePort,
} from './parse.js';

function errorOf<T>(result: Result<T>): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return { code: result.error.code, message: result.error.message };
}

describe('parseKmsAddress', () => {
  it.each([
    ['kms.corp.example', { kind: 'host', host: 'kms.corp.example', port: null }],
    ['KMS.Corp.Example.', { kind: 'host', host: 'kms.corp.example', port: null }],
    ['kms:1700', { kind: 'host', host: 'kms', port: 1700 }],
    [':1800', { kind: 'port', port: 1800 }],
    ['10.0.0.5', { kind: 'host', host: '10.0.0.5', port: null }],
    ['10.0.0.5:1688', { kind: 'host', host: '10.0.0.5', port: 1688 }],
    ['[2001:db8::5]', { kind: 'host', host: '2001:db8::5', port: null }],
    ['[2001:DB8:0::5]:1690', { kind: 'host', host: '2001:db8::5', port: 1690 }],
  ])('when given %s then it reads the host and port', (text, expected) => {
    expect(parseKmsAddress(text)).toEqual({ ok: true, value: expected });
  });

  it('when given a bare IPv6 address then it asks for brackets', () => {
    const error = errorOf(parseKmsAddress('2001:db8::5'));
    expect(error.code).toBe('setting.invalid');
    expect(error.message).toContain('[2001:db8::5]');
  });

  it.each(['::1', '::1:1688'])('when given %s then it asks for brackets, not a port', (text) => {
    expect(errorOf(parseKmsAddress(text)).message).toContain(`[${text}]`);
  });

  it.each([
    ['http://127.0.0.1:1688', 'is a URL'],
    ['kms:1688:99', 'has more than one ":"'],
  ])('when given %s then the message says what is wrong', (text, says) => {
    const error = errorOf(parseKmsAddress(text));
    expect(error.message).toContain(says);
    expect(error.message).not.toContain('IPv6');
  });

  it('when the address has spaces around it then they are ignored, as for a key', () => {
    expect(parseKmsAddress(' 127.0.0.1:1688 ')).toEqual({
      ok: true,
      value: { kind: 'host', host: '127.0.0.1', port: 1688 },
    });
  });

  it.each([
    ['kms:0', 'setting.out_of_range'],
    ['kms:65536', 'setting.out_of_range'],
    ['kms:port', 'setting.invalid'],
    [':', 'setting.invalid'],
    ['', 'setting.invalid'],
    ['-kms', 'setting.invalid'],
    ['bad_name', 'setting.invalid'],
    ['[not-ipv6]:1688', 'setting.invalid'],
    ['[::1]x', 'setting.invalid'],
  ])('when given %s then it refuses with %s', (text, code) => {
    expect(errorOf(parseKmsAddress(text)).code).toBe(code);
  });
});

describe('parseInterval', () => {
  it.each([
    ['15', 15],
    ['43200', 43_200],
    ['120', 120],
  ])('when given %s then it reads %i minutes', (text, minutes) => {
    expect(parseInterval(text)).toEqual({ ok: true, value: minutes });
  });

  it.each([
    ['2h', 'setting.invalid'],
    ['1e3', 'setting.invalid'],
    ['-5', 'setting.invalid'],
    ['1.5', 'setting.invalid'],
    ['', 'setting.invalid'],
    ['14', 'setting.out_of_range'],
    ['43201', 'setting.out_of_range'],
  ])('when given %s then it refuses with %s and names the range', (text, code) => {
    const error = errorOf(parseInterval(text));
    expect(error.code).toBe(code);
    expect(error.message).toContain('from 15 to 43200');
  });
});

describe('parsePort', () => {
  it('when given 1 or 65535 then it accepts them', () => {
    expect(parsePort('1')).toEqual({ ok: true, value: 1 });
    expect(parsePort('65535')).toEqual({ ok: true, value: 65_535 });
  });

  it.each(['0', '65536', '+80', '80.0'])('when given %s then it refuses with the range', (text) => {
    expect(errorOf(parsePort(text)).message).toContain('from 1 to 65535');
  });

  it.each(['+80', '00011890', 'x'])('when given %s then the refusal names the value', (text) => {
    const result = parsePort(text);
    expect(result.ok ? null : result.error.context).toEqual({ value: text });
  });
});

describe('numbers written with leading zeros', () => {
  it.each([
    ['port', () => parsePort('00011890'), '"00011890"', 'as 11890'],
    ['interval', () => parseInterval('0120'), '"0120"', 'as 120'],
    ['activation type', () => parseActivationType('02'), '"02"', 'as 2'],
    ['activation type 00', () => parseActivationType('00'), '"00"', 'as 0'],
  ])('when a %s has leading zeros then it is refused, naming the value', (_, parse, value, as) => {
    const error = errorOf(parse());
    expect(error.code).toBe('setting.invalid');
    expect(error.message).toContain(value);
    expect(error.message).toContain(`write it without leading zeros, ${as}`);
  });

  it('when /skms is given host:00011890 then it is refused like /sprt 00011890', () => {
    expect(errorOf(parseKmsAddress('host:00011890'))).toEqual(errorOf(parsePort('00011890')));
  });
});

describe('parseActivationType', () => {
  it('when given 0, 2 or 3 then it accepts them', () => {
    expect(['0', '2', '3'].map((text) => parseActivationType(text))).toEqual([
      { ok: true, value: 0 },
      { ok: true, value: 2 },
      { ok: true, value: 3 },
    ]);
  });

  it('when given 1 then it says directory-based activation is not available', () => {
    expect(errorOf(parseActivationType('1'))).toMatchObject({ code: 'setting.unsupported' });
  });

  it.each(['4', '-0', '+2', '2.0', ''])('when given %j then it is invalid', (text) => {
    expect(errorOf(parseActivationType(text)).code).toBe('setting.invalid');
  });
});

describe('parseDomain', () => {
  it('when given a domain then it lower-cases it', () => {
    expect(parseDomain('Corp.Example')).toEqual({ ok: true, value: 'corp.example' });
  });

  it('when given an IPv4 address then it is not a domain', () => {
    expect(errorOf(parseDomain('10.0.0.1')).code).toBe('setting.invalid');
  });
});
