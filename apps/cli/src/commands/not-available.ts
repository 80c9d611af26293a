import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { cliFail } from '../errors.js';

/** `/ato /atp /ltc /fta`: activation arrives in a later release; say so plainly. */
export function run(_ctx: Context): CommandResult {
  return cliFail(
    'cli.not_available',
    'activation (/ato, /atp, /ltc, /fta) is not available in this slmgr yet; licence state, keys and settings are',
  );
}
