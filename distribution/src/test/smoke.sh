#!/usr/bin/env bash
# Smoke test of the assembled distribution, run by Maven in the integration-test phase: the
# launcher starts l2o with its modules on the module path, finds every plugin through the
# module descriptors, and runs a short evaluation on the embedded MNIST subset.
set -euo pipefail
dist="$1"
example="${2:-}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
plugins="$("$dist/bin/l2o" plugins)"
for id in quadratic rosenbrock logistic-regression robust-regression nn-classifier mlp-classifier \
          sgd momentum nesterov adagrad rmsprop adam cg lbfgs; do
  grep -q "^  $id " <<<"$plugins" || { echo "smoke: plugin $id missing from 'l2o plugins'"; exit 1; }
done
# A version other than "dev" comes from the module descriptor: proof the module path was used.
grep -q "^  adam  *[0-9]" <<<"$plugins" || { echo "smoke: plugins were not loaded as modules"; exit 1; }
"$dist/bin/l2o" evaluate --objective mlp-classifier --param project=16 --param hidden=16 \
  --param eval-samples=500 --optimizer adam:lr=0.01 --optimizer lbfgs --steps 20 --seeds 1 \
  --out "$out/run" --quiet >/dev/null
for f in trajectories.arrow summary.csv loss.png loss.svg report.html; do
  [[ -s "$out/run/$f" ]] || { echo "smoke: $f missing"; exit 1; }
done
# the launcher resolves the Vector API, so the classic rules take their vectorised in-place path
L2O_JAVA_OPTS="-Xmx1g -verbose:class" "$dist/bin/l2o" evaluate --objective quadratic --optimizer adam --steps 3 \
  --seeds 1 --quiet --out "$out/simd" 2>&1 | grep -q "org.l2o.policies.classic.SimdSteps" \
  || { echo "smoke: the launcher did not enable the vectorised optimizer steps"; exit 1; }
set +e
"$dist/bin/l2o" evaluate --objective no-such --optimizer sgd --out "$out/bad" 2>"$out/err"
code=$?
set -e
[[ $code -eq 2 ]] || { echo "smoke: expected exit 2 for an unknown objective, got $code"; exit 1; }
# l2o fit (a command contributed by l2o-dl4j) on the module path: a small MLP on the embedded MNIST subset.
"$dist/bin/l2o" fit --network mlp --hidden 16 --optimizer learned:mnist-v1 --examples 256 --batch 32 \
  --eval-samples 128 --quiet --out "$out/fit" 2>/dev/null
[[ -s "$out/fit/model.zip" && -s "$out/fit/report.html" ]] || { echo "smoke: 'l2o fit' wrote no model or report"; exit 1; }
# l2o worker and --cluster (l2o-cluster) through the launcher: a worker on loopback runs some of an
# evaluation's runs, and the summary equals the local one.
"$dist/bin/l2o" worker --threads 1 --port 5771 --cluster-name smoke >"$out/worker.log" 2>&1 &
worker=$!
for _ in $(seq 1 300); do grep -q "l2o worker at" "$out/worker.log" && break; sleep 0.2; done
grep -q "l2o worker at" "$out/worker.log" || { kill $worker; echo "smoke: 'l2o worker' did not start"; cat "$out/worker.log"; exit 1; }
address="$(grep -o "at [0-9.]*:[0-9]*" "$out/worker.log" | head -1 | cut -c4-)"
"$dist/bin/l2o" evaluate --objective mlp-classifier --param project=16 --param hidden=16 \
  --param eval-samples=500 --optimizer adam:lr=0.01 --optimizer lbfgs --steps 20 --seeds 2 --threads 1 \
  --cluster "$address" --cluster-name smoke --out "$out/cluster" >/dev/null 2>"$out/cluster.err"
kill $worker
grep -q "1 worker(s)" "$out/cluster.err" || { echo "smoke: the driver found no worker"; cat "$out/cluster.err"; exit 1; }
"$dist/bin/l2o" evaluate --objective mlp-classifier --param project=16 --param hidden=16 \
  --param eval-samples=500 --optimizer adam:lr=0.01 --optimizer lbfgs --steps 20 --seeds 2 --threads 1 \
  --out "$out/alone" --quiet >/dev/null
cmp -s "$out/cluster/summary.csv" "$out/alone/summary.csv" || { echo "smoke: the cluster's summary differs"; exit 1; }
# l2o bench: usage, a bad option (exit 2), and one quick case run through JMH from lib/.
"$dist/bin/l2o" bench --help | grep -q -- "--vs-pytorch" || { echo "smoke: 'l2o bench --help' lacks its options"; exit 1; }
set +e
"$dist/bin/l2o" bench --no-such-option 2>"$out/err"
code=$?
set -e
[[ $code -eq 2 ]] || { echo "smoke: expected exit 2 for a bad bench option, got $code"; exit 1; }
"$dist/bin/l2o" bench --quick --include 'optimizer/sgd/1000$' 2>/dev/null | grep -q "^BENCH optimizer/sgd/1000 l2o=" \
  || { echo "smoke: 'l2o bench' produced no BENCH line"; exit 1; }
# A third-party plugin (examples/sign-sgd-plugin, a named module) from a folder in L2O_PLUGINS.
if [[ -n "$example" ]]; then
  mkdir -p "$out/plugins"
  cp "$example" "$out/plugins/"
  L2O_PLUGINS="$out/plugins" "$dist/bin/l2o" plugins | grep -q "^  sign-sgd  *1.0.0" \
    || { echo "smoke: the example plugin in L2O_PLUGINS is missing from 'l2o plugins'"; exit 1; }
  L2O_PLUGINS="$out/plugins" "$dist/bin/l2o" evaluate --objective rosenbrock --optimizer sign-sgd:lr=0.001 \
    --steps 10 --seeds 1 --quiet --out "$out/plugin-run" >/dev/null
  [[ -s "$out/plugin-run/summary.csv" ]] && grep -q "sign-sgd" "$out/plugin-run/summary.csv" \
    || { echo "smoke: the example plugin did not run in evaluate"; exit 1; }
  set +e
  L2O_PLUGINS="$out/no-such-folder" "$dist/bin/l2o" plugins >/dev/null 2>"$out/err"
  code=$?
  set -e
  [[ $code -eq 2 ]] || { echo "smoke: expected exit 2 for a missing L2O_PLUGINS folder, got $code"; exit 1; }
fi
echo "distribution smoke test passed (module path, $(grep -c '^  ' <<<"$plugins") plugins)"
