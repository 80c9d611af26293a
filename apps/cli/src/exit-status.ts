import type { ErrorCode } from '@slm/core/status';
import type { CliErrorCode } from './errors.js';

/** Exit statuses by error class; documented in the README and in `slmgr --help`. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalidInput: 3,
  notFound: 4,
  refused: 5,
  verification: 6,
  permission: 7,
  store: 8,
  notAvailable: 9,
} as const;

const { internal, usage, invalidInput, notFound, refused, verification, permission, store } = EXIT;

/** Every core error code's exit status; adding a code to core fails the type check here. */
export const CORE_EXIT_STATUS: Record<ErrorCode, number> = {
  'key.empty': invalidInput,
  'key.length': invalidInput,
  'key.group_count': invalidInput,
  'key.symbol': invalidInput,
  'key.checksum': invalidInput,
  'key.version': invalidInput,
  'key.forged': verification,
  'key.blocked': refused,
  'key.wrong_product': refused,
  'key.wrong_channel': refused,
  'key.not_installed': notFound,
  'key.limit_reached': refused,
  'product.not_found': notFound,
  'catalog.malformed': invalidInput,
  'catalog.signature': verification,
  'catalog.untrusted': verification,
  'grant.malformed': invalidInput,
  'grant.version': invalidInput,
  'grant.signature': verification,
  'grant.untrusted': verification,
  'grant.wrong_machine': verification,
  'grant.wrong_key': verification,
  'grant.wrong_product': verification,
  'grant.expired': verification,
  'grant.not_yet_valid': verification,
  'iid.format': invalidInput,
  'iid.length': invalidInput,
  'iid.check_digit': invalidInput,
  'iid.version': invalidInput,
  'cid.format': invalidInput,
  'cid.length': invalidInput,
  'cid.check_digit': invalidInput,
  'cid.mismatch': verification,
  'rearm.limit_reached': refused,
  'rearm.disabled': refused,
  'rearm.nothing_installed': refused,
  'setting.invalid': invalidInput,
  'setting.out_of_range': invalidInput,
  'setting.not_volume_host': refused,
  'setting.unsupported': refused,
  'activation.not_needed': refused,
  'activation.token_only': refused,
  'activation.method_disabled': refused,
  'activation.unavailable': refused,
  'store.corrupt': store,
  'store.permission': permission,
  'store.busy': store,
  'store.not_initialised': store,
  'internal.unexpected': internal,
};

/** The command line's own codes. */
export const CLI_EXIT_STATUS: Record<CliErrorCode, number> = {
  'usage.no_option': usage,
  'usage.unknown_option': usage,
  'usage.missing_argument': usage,
  'usage.extra_argument': usage,
  'usage.invalid_argument': usage,
  'usage.invalid_combination': usage,
  'cli.not_available': EXIT.notAvailable,
  'cli.file_unreadable': invalidInput,
  'licence.not_found': notFound,
  'catalog.older': refused,
};

/** The exit status for any code the command line reports. */
export function exitStatusOf(code: ErrorCode | CliErrorCode): number {
  return (
    (CORE_EXIT_STATUS as Record<string, number>)[code] ?? CLI_EXIT_STATUS[code as CliErrorCode]
  );
}
