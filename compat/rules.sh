#!/usr/bin/env bash
# Vigil's rule tooling beside promtool (Debian's prometheus package, 2.42):
#   check   `vigil check rules` and `promtool check rules` on every compat/rules/*.yml rule file
#           (standard output compared for valid and invalid files: errors go to standard error):
#           the same exit status and the same standard output;
#   test    `vigil test rules` and `promtool test rules` on compat/rules/tests-*.yml (tests-templates.yml
#           expects no alert, so both print the ~20 templated annotations they got: humanize*,
#           printf, regexes, control structures, query, errors): the same
#           exit status and byte-identical output (stdout and stderr together; promtool writes
#           failures to stderr, Vigil to stdout).
# Prints PASS/FAIL per check and "rules: N passed, M failed"; exits non-zero on a failure.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus

VIGIL=$(vigil_binary)
DIR="$(cd "$(dirname "$0")/rules" && pwd)"
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

cd "$DIR"
for file in rules.yml templates.yml invalid-*.yml; do
  promtool_out=$(promtool check rules "$file" 2>/dev/null) && promtool_status=0 || promtool_status=$?
  vigil_out=$("$VIGIL" check rules "$file" 2>/dev/null) && vigil_status=0 || vigil_status=$?
  if [ "$promtool_status" != "$vigil_status" ]; then
    fail "check $file: promtool exit $promtool_status, vigil exit $vigil_status"
  elif [ "$promtool_out" != "$vigil_out" ]; then
    fail "check $file: output differs"; diff <(echo "$promtool_out") <(echo "$vigil_out") || true
  else
    pass "check $file (exit $vigil_status)"
  fi
done

for file in tests-*.yml; do
  promtool_out=$(promtool test rules "$file" 2>&1) && promtool_status=0 || promtool_status=$?
  vigil_out=$("$VIGIL" test rules "$file" 2>&1) && vigil_status=0 || vigil_status=$?
  if [ "$promtool_status" != "$vigil_status" ]; then
    fail "test $file: promtool exit $promtool_status, vigil exit $vigil_status"
  elif [ "$promtool_out" != "$vigil_out" ]; then
    fail "test $file: output differs"; diff <(echo "$promtool_out") <(echo "$vigil_out") || true
  else
    pass "test $file (exit $vigil_status)"
  fi
done

echo "rules: $passed passed, $failed failed"
[ "$failed" = 0 ]
