#!/bin/sh
# install-deps.sh: install the Debian 12 packages that sluice builds, tests
# and runs with (SPEC section 2).  Idempotent: when every package is present
# it prints nothing and touches nothing.  Run as root (or with sudo
# available); never reads standard input.
set -eu

PKGS="build-essential autoconf automake libtool pkg-config
lemon re2c
librdkafka-dev libsqlite3-dev libmicrohttpd-dev libcjson-dev
check libedit-dev libcurl4-openssl-dev libpcre2-dev libmimalloc-dev
sqlite3 kcat clang libclang-rt-14-dev"

if ! command -v dpkg-query >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	echo "install-deps: not a Debian system; install the equivalents of:" $PKGS >&2
	exit 1
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "install-deps: missing packages:$missing; run this script as root" >&2
		exit 1
	fi
	SUDO="sudo -n"
fi
echo "install-deps: installing$missing" >&2
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"
$APT update -qq </dev/null
# shellcheck disable=SC2086
$APT install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 $missing </dev/null >/dev/null
