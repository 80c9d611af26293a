/** The part of `--help` after the option list: call forms, exit statuses, JSON. */
export const HELP_AFTER = `
Usage: slmgr [MACHINE [USER PASSWORD]] /option [arguments]
Options start with / or - and are case-insensitive; one option per call. Many options take an
optional activation ID (a GUID) to act on one product; /dli and /dlv also take "all".
Managing another machine (MACHINE ...) is not available yet.

Store: --store PATH, else $SLM_HOME, else /var/lib/slm. Licence folder: $SLM_LICENCE_DIR, else
the store's licences/ folder. Whoever can write the store is its administrator; anyone may run
/dli /dlv /xpr /dti /lil. Volume activation asks the DNS server $SLM_DNS_SERVER (IP, IP:PORT
or [IPv6]:PORT), if set, for _vlmcs._tcp records and host names; else the system's resolver.
Without /skms-domain it searches the domains in $SLM_DNS_SEARCH (comma separated), if set; else resolv.conf's.

Exit statuses:
  0 success            4 not found (product, key, licence)     7 needs an administrator
  1 internal error     5 refused by state or policy            8 store damaged, busy or missing
  2 usage error        6 signature or binding does not verify  9 not available yet
  3 invalid input

--json prints one document: {"ok":true,"option":"dli","result":{...}} or
{"ok":false,"option":"dli","error":{"code","message","context","exitStatus"}}.
`;
