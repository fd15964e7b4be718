#!/bin/sh
# qtt_rest.sh: runs ksqlDB's REST test cases through the HTTP server
# (sluice-test --qtt on rest-query-validation-tests) as part of make check,
# and fails only when a case listed in sql-tests/qtt-rest-passing.txt no
# longer passes (qtt_lib.sh says how).
set -u
. "$(dirname "$0")/qtt_lib.sh"
qtt_held qtt_rest rest-query-validation-tests qtt-rest-passing.txt
