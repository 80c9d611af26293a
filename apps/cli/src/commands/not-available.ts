import type { CommandResult } from '../command.js';
import type { Context } from '../context.js';
import { cliFail } from '../errors.js';

/** `/ltc /fta`: token activation arrives in a later release; say so plainly. */
export function run(_ctx: Context): CommandResult {
  return cliFail(
    'cli.not_available',
    'token activation (/ltc, /fta) is not available in this slmgr yet; online and phone activation, licence state, keys and settings are',
  );
}
