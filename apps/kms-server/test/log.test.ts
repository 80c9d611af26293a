import { describe, expect, it } from 'vitest';
import { jsonLogger } from '../src/log.js';

describe('the JSON log', () => {
  it('when lines are written then each is one JSON object: level, time, message, then the fields', () => {
    const lines: string[] = [];
    const log = jsonLogger(
      (line) => lines.push(line),
      () => Date.UTC(2026, 11, 4, 12, 0, 0),
    );
    log.info('request', { conn: 7, reason: null, client: 'a"b\\c\n', duplicate: false });
    log.warn('nothing else');
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    );
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        level: 'info',
        time: '2026-12-04T12:00:00.000Z',
        msg: 'request',
        conn: 7,
        reason: null,
        client: 'a"b\\c\n',
        duplicate: false,
      },
      { level: 'warn', time: '2026-12-04T12:00:00.000Z', msg: 'nothing else' },
    ]);
    expect(Object.keys(JSON.parse(lines[0] ?? '{}')).slice(0, 3)).toEqual(['level', 'time', 'msg']);
  });
});
