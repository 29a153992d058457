#!/usr/bin/env bash
# deploy/kubernetes through kubectl: both kustomizations build (`kubectl kustomize`, offline), every
# rendered object decodes as a Kubernetes object (`kubectl label --local`, offline), and the server's
# and agent's embedded configs pass `vigil check config`.
#
# A schema-level check (field names and types against the API's OpenAPI document) needs an API
# server: kubectl downloads the schema from it. With KUBERNETES_MANIFESTS_CLUSTER=1 and a kubeconfig
# pointing at a cluster, the script also runs `kubectl apply --dry-run=server`; otherwise it reports
# that step as skipped. Prints "kubernetes-manifests: N passed, M failed".
source "$(dirname "$0")/lib/common.bash"
command -v kubectl >/dev/null || ensure_packages kubernetes-client
ensure_packages python3-yaml

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPLOY="$ROOT/deploy/kubernetes"
WORK=$(mktemp -d -t kubernetes-manifests.XXXXXX)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
VIGIL=$(vigil_binary)

# Documents in the files a kustomization lists, to compare with what kustomize rendered.
documents() {
  python3 - "$1" <<'PY'
import os, sys, yaml
directory = sys.argv[1]
kustomization = yaml.safe_load(open(os.path.join(directory, "kustomization.yaml")))
print(sum(1 for resource in kustomization["resources"]
          for document in yaml.safe_load_all(open(os.path.join(directory, resource))) if document))
PY
}

for part in "" metrics-apis; do
  name=${part:-default}
  if kubectl kustomize "$DEPLOY/$part" >"$WORK/$name.yaml" 2>"$WORK/$name.err"; then
    pass "kustomize $name"
  else
    fail "kustomize $name: $(cat "$WORK/$name.err")"; continue
  fi
  expected=$(documents "$DEPLOY/$part")
  if kubectl label --local -f "$WORK/$name.yaml" vigil.dev/checked=true -o name >"$WORK/$name.names" 2>"$WORK/$name.err" \
      && [ "$(wc -l <"$WORK/$name.names")" -eq "$expected" ]; then
    pass "decode $name ($expected objects)"
  else
    fail "decode $name: expected $expected objects, got $(wc -l <"$WORK/$name.names"): $(cat "$WORK/$name.err")"
  fi
done

for config in server-config.yaml:prometheus.yml agent-config.yaml:agent.yml; do
  file=${config%%:*} key=${config##*:}
  python3 -c 'import sys, yaml; sys.stdout.write(yaml.safe_load(open(sys.argv[1]))["data"][sys.argv[2]])' \
    "$DEPLOY/$file" "$key" >"$WORK/$key"
  if "$VIGIL" check config "$WORK/$key" >"$WORK/check.out" 2>&1; then
    pass "vigil check config $file:$key"
  else
    fail "vigil check config $file:$key: $(cat "$WORK/check.out")"
  fi
done

if [ -n "${KUBERNETES_MANIFESTS_CLUSTER:-}" ]; then
  for name in default metrics-apis; do
    if kubectl apply --dry-run=server -f "$WORK/$name.yaml" >"$WORK/apply.out" 2>&1; then
      pass "server-side dry run $name"
    else
      fail "server-side dry run $name: $(cat "$WORK/apply.out")"
    fi
  done
else
  echo "SKIP schema check: needs an API server (set KUBERNETES_MANIFESTS_CLUSTER=1 with a kubeconfig)"
fi

echo "kubernetes-manifests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
