import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYS, makeHome } from './fixtures.js';
import { expectError, slmgrBinary } from './harness.js';

describe('a bad SLM_DNS_SERVER', () => {
  it.each(['bogus', 'dns.example:53', '10.0.0.1:0', '10.0.0.1:70000', '[10.0.0.1]:53'])(
    'when it is %s then /ato names it and the expected form, exits 3 and changes nothing',
    async (server) => {
      const home = makeHome();
      await slmgrBinary(home, ['/ipk', KEYS.volume]);
      const before = readFileSync(join(home, 'state.json'), 'utf8');
      const call = await slmgrBinary(home, ['/ato'], { SLM_DNS_SERVER: server });
      expectError(call, 3, 'setting.invalid', `SLM_DNS_SERVER is "${server}"`);
      expect(call.stderr).toContain('give an IP address or IP:PORT');
      expect(call.stderr).not.toContain('internal');
      expect(readFileSync(join(home, 'state.json'), 'utf8')).toBe(before);
    },
  );
});
