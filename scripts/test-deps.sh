#!/usr/bin/env bash
# Installs the Debian packages the test suites drive for real (BIND for DNS, libfaketime for
# black-box clocks, openssl for throwaway certificates, Chromium for the phone-activation page,
# hyperfine for benchmarks). Does nothing when they are all present.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have openssl || need+=(openssl)
have named || need+=(bind9)
have nsupdate || need+=(bind9-utils)
have dig || need+=(bind9-dnsutils)
have chromium || need+=(chromium)
have hyperfine || need+=(hyperfine)
have setpriv || need+=(util-linux)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || need+=(libfaketime faketime)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
  echo "test-deps: missing Debian packages: ${need[*]}" >&2
  echo "test-deps: install them (as root: apt-get install -y ${need[*]}) and run the tests again" >&2
  exit 1
fi

echo "test-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
