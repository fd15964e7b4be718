#!/bin/sh
# qtt_engine.sh: runs ksqlDB's query-validation test cases on the engine
# (sluice-test --qtt) as part of make check, and fails only when a case
# listed in sql-tests/qtt-passing.txt no longer passes (qtt_lib.sh says
# how).
set -u
. "$(dirname "$0")/qtt_lib.sh"
qtt_held qtt_engine query-validation-tests qtt-passing.txt
