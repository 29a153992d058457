#!/usr/bin/env bash
# Vigil's Alertmanager routing and config checks beside amtool (Debian's prometheus-alertmanager, 0.25):
#   routes  for every compat/alertmanager-routes/*.yml routing config (nested routes, continue,
#           regex and negative matchers, legacy match/match_re, quoting, group_by variants) and
#           every combination of env x team x severity x service values (absent included), plus
#           the sets in labels.txt: `vigil check routes` and `amtool config routes test` print the
#           same receivers and agree on success; every 7th set also with --tree (same matching
#           tree), every 11th with --verify.receivers (a right and a wrong expectation);
#   show    `vigil check routes --show` and `amtool config routes` draw the same tree;
#   matchers every line of matchers.txt and ~150 seeded random mutations of them, as a route's
#           `matchers:` entry: both print the same tree (the parsed matchers, re-quoted) or both
#           refuse the config, Vigil with amtool's message (Go's regexp errors excepted);
#   intervals every time interval of intervals.txt in a config: both accept it, or both refuse it
#           with the same message (unknown fields: both refuse);
#   check   `vigil check alertmanager-config` and `amtool check-config` on the valid configs (same
#           report) and on bad-*.yml (both fail; where bad-expectations.txt says "message",
#           amtool's message appears in Vigil's, which adds file:line:column and the field path).
# Prints FAIL per disagreement and PASS per group, and "alertmanager-routes: N passed, M failed"
# last; exits non-zero on a failure.
source "$(dirname "$0")/lib/common.bash"
command -v amtool >/dev/null || ensure_packages prometheus-alertmanager

VIGIL=$(vigil_binary)
DIR="$(cd "$(dirname "$0")/alertmanager-routes" && pwd)"
passed=0 failed=0
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# compare CONFIG ARGS...: amtool and vigil agree on output and on success.
compare() {
  local config=$1; shift
  local amtool_out vigil_out amtool_status vigil_status
  amtool_out=$(amtool config routes test --config.file="$config" "$@" 2>/dev/null) && amtool_status=0 || amtool_status=$?
  vigil_out=$("$VIGIL" check routes --config.file="$config" "$@" 2>/dev/null) && vigil_status=0 || vigil_status=$?
  if [ $((amtool_status == 0)) != $((vigil_status == 0)) ]; then
    fail "routes $config $*: amtool exit $amtool_status, vigil exit $vigil_status"
  elif [ "$amtool_out" != "$vigil_out" ]; then
    fail "routes $config $*: output differs"; diff <(echo "$amtool_out") <(echo "$vigil_out") || true
  else
    passed=$((passed + 1)); return 0
  fi
  return 1
}

cd "$DIR"
label_sets=()
for env in prod staging dev ""; do
  for team in db web x ""; do
    for severity in critical warning info ""; do
      for service in api db cache ""; do
        set=""
        [ -n "$env" ] && set+="env=$env;"
        [ -n "$team" ] && set+="team=$team;"
        [ -n "$severity" ] && set+="severity=$severity;"
        [ -n "$service" ] && set+="service=$service;"
        label_sets+=("${set%;}")
      done
    done
  done
done
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] || label_sets+=("$line")
done < labels.txt

for config in nested.yml legacy.yml continue.yml quoting.yml full.yml; do
  before=$failed count=0
  for index in "${!label_sets[@]}"; do
    IFS=';' read -r -a args <<< "${label_sets[$index]}"
    [ "${#args[@]}" = 0 ] && args=()
    compare "$config" "${args[@]}" && count=$((count + 1))
    if (( index % 7 == 0 )); then compare "$config" --tree "${args[@]}" && count=$((count + 1)); fi
    if (( index % 11 == 0 )); then
      expected=$(amtool config routes test --config.file="$config" "${args[@]}" 2>/dev/null | tail -1) || true
      if [ -n "$expected" ]; then
        compare "$config" --verify.receivers="$expected" "${args[@]}" && count=$((count + 1))
      fi
      compare "$config" --verify.receivers="nobody" "${args[@]}" && count=$((count + 1))
    fi
  done
  amtool_tree=$(amtool config routes --config.file="$config" 2>/dev/null)
  vigil_tree=$("$VIGIL" check routes --show --config.file="$config")
  if [ "$amtool_tree" = "$vigil_tree" ]; then
    passed=$((passed + 1)); count=$((count + 1))
  else
    fail "show $config: tree differs"; diff <(echo "$amtool_tree") <(echo "$vigil_tree") || true
  fi
  [ "$failed" = "$before" ] && echo "PASS routes $config ($count comparisons)"
done

# The matcher parser, differentially: each line becomes the matchers of a route.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/lines.txt" <<'PY'
import random, sys
random.seed(20260105)
seeds = [l.rstrip("\n") for l in open("matchers.txt", encoding="utf-8") if l.strip() and not l.startswith("#")]
alphabet = list('ab_:9 ="!~{},.*()[]|^$\\') + ["\t", "é"]
lines = list(seeds)
for _ in range(400):
    chars = list(random.choice(seeds))
    for _ in range(random.randint(1, 3)):
        op, at = random.randrange(3), random.randrange(len(chars) + 1)
        if op == 0 and at < len(chars): del chars[at]
        elif op == 1: chars.insert(at, random.choice(alphabet))
        elif at < len(chars): chars[at] = random.choice(alphabet)
    lines.append("".join(chars))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for line in lines: out.write(line + "\n")
PY
before=$failed count=0 number=0
while IFS= read -r line; do
  number=$((number + 1))
  config="$WORK/matcher-$number.yml"
  printf "route:\n  receiver: a\n  routes:\n    - receiver: b\n      matchers: ['%s']\nreceivers: [{name: a}, {name: b}]\n" \
    "${line//\'/\'\'}" > "$config"
  amtool_tree=$(amtool config routes --config.file="$config" 2>/dev/null) && amtool_status=0 || amtool_status=$?
  vigil_tree=$("$VIGIL" check routes --show --config.file="$config" 2>/dev/null) && vigil_status=0 || vigil_status=$?
  if [ $((amtool_status == 0)) != $((vigil_status == 0)) ]; then
    fail "matchers '$line': amtool exit $amtool_status, vigil exit $vigil_status"
  elif [ "$amtool_status" = 0 ] && [ "$amtool_tree" != "$vigil_tree" ]; then
    fail "matchers '$line': tree differs"; diff <(echo "$amtool_tree") <(echo "$vigil_tree") || true
  elif [ "$amtool_status" != 0 ]; then
    message=$(amtool check-config "$config" 2>/dev/null | head -1 | sed "s/^Checking '[^']*'  FAILED: //") || true
    vigil_message=$("$VIGIL" check alertmanager-config "$config" 2>/dev/null | head -1) || true
    if [[ "$message" != "error parsing regexp"* && "$vigil_message" != *"$message"* ]]; then
      fail "matchers '$line': amtool says '$message', vigil says '$vigil_message'"
    else
      passed=$((passed + 1)); count=$((count + 1))
    fi
  else
    passed=$((passed + 1)); count=$((count + 1))
  fi
done < "$WORK/lines.txt"
[ "$failed" = "$before" ] && echo "PASS matchers ($count lines)"

# Time intervals, differentially.
before=$failed count=0 number=0
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  number=$((number + 1))
  config="$WORK/interval-$number.yml"
  printf "route:\n  receiver: a\n  routes: [{receiver: a, mute_time_intervals: [t]}]\nreceivers: [{name: a}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - %s\n" \
    "$line" > "$config"
  amtool_out=$(amtool check-config "$config" 2>/dev/null) && amtool_status=0 || amtool_status=$?
  vigil_out=$("$VIGIL" check alertmanager-config "$config" 2>/dev/null) && vigil_status=0 || vigil_status=$?
  message=$(echo "$amtool_out" | head -1 | sed "s/^Checking '[^']*'  FAILED: //")
  if [ $((amtool_status == 0)) != $((vigil_status == 0)) ]; then
    fail "interval $line: amtool exit $amtool_status ($message), vigil exit $vigil_status ($(echo "$vigil_out" | head -1))"
  elif [ "$amtool_status" != 0 ] && [[ "$message" != "yaml: unmarshal errors:"* ]] && [[ "$vigil_out" != *"$message"* ]]; then
    fail "interval $line: amtool says '$message', vigil says '$(echo "$vigil_out" | head -1)'"
  else
    passed=$((passed + 1)); count=$((count + 1))
  fi
done < intervals.txt
[ "$failed" = "$before" ] && echo "PASS intervals ($count time intervals)"

for config in nested.yml legacy.yml continue.yml quoting.yml full.yml; do
  amtool_out=$(amtool check-config "$config" 2>/dev/null) && amtool_status=0 || amtool_status=$?
  vigil_out=$("$VIGIL" check alertmanager-config "$config" 2>/dev/null) && vigil_status=0 || vigil_status=$?
  if [ "$amtool_status" != 0 ] || [ "$vigil_status" != 0 ]; then
    fail "check $config: amtool exit $amtool_status, vigil exit $vigil_status"
  elif [ "$amtool_out" != "$vigil_out" ]; then
    fail "check $config: report differs"; diff <(echo "$amtool_out") <(echo "$vigil_out") || true
  else
    passed=$((passed + 1)); echo "PASS check $config"
  fi
done

while read -r config mode; do
  [[ -z "$config" || "$config" == \#* ]] && continue
  amtool_out=$(amtool check-config "$config" 2>/dev/null) && amtool_status=0 || amtool_status=$?
  vigil_out=$("$VIGIL" check alertmanager-config "$config" 2>/dev/null) && vigil_status=0 || vigil_status=$?
  message=$(echo "$amtool_out" | head -1 | sed "s/^Checking '[^']*'  FAILED: //")
  if [ "$amtool_status" = 0 ] || [ "$vigil_status" = 0 ]; then
    fail "check $config: amtool exit $amtool_status, vigil exit $vigil_status (both must fail)"
  elif [ "$mode" = message ] && [[ "$vigil_out" != *"$message"* ]]; then
    fail "check $config: amtool says '$message', vigil says '$(echo "$vigil_out" | head -1)'"
  else
    passed=$((passed + 1)); echo "PASS check $config ($mode): $(echo "$vigil_out" | head -1 | sed "s/^Checking '[^']*'  //")"
  fi
done < bad-expectations.txt

echo "alertmanager-routes: $passed passed, $failed failed"
[ "$failed" = 0 ]
