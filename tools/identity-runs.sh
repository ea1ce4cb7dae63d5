#!/bin/bash
# Small meta-training runs and the quick experiments whose learned weights, summary.csv and
# tuned.json must not change when code is reorganised. Run it with two builds' launchers, then
# compare the folders with tools/compare-runs.sh:
#   tools/identity-runs.sh OLD/distribution/target/l2o/bin/l2o /tmp/old
#   tools/identity-runs.sh distribution/target/l2o/bin/l2o /tmp/new
#   tools/compare-runs.sh /tmp/old /tmp/new
# usage: identity-runs.sh L2O OUTDIR
L=$1; O=$2; mkdir -p $O
$L train --trainer gps --objective logistic-regression --train-objectives 6 --steps 20 --iterations 3 --samples 5 --trainer-param policy-iterations-first=300 --trainer-param policy-iterations=100 --trainer-param validation-objectives=3 --out $O/gps.l2o -q > $O/gps.log 2>&1
$L train --trainer gps --objective logistic-regression --train-objectives 6 --steps 20 --iterations 2 --samples 5 --trainer-param policy-iterations-first=300 --trainer-param policy-iterations=100 --trainer-param validation-objectives=3 --out $O/gps-r.l2o -q > $O/gps-r.log 2>&1
$L train --trainer gps --objective logistic-regression --train-objectives 6 --steps 20 --iterations 3 --samples 5 --trainer-param policy-iterations-first=300 --trainer-param policy-iterations=100 --trainer-param validation-objectives=3 --out $O/gps-r.l2o -q --resume >> $O/gps-r.log 2>&1
$L train --trainer gps-groups --objective mlp-classifier --param hidden=8 --param eval-samples=500 --train-objectives 2 --steps 30 --iterations 2 --samples 2 --trainer-param policy-iterations-first=50 --trainer-param policy-iterations=20 --out $O/gg.l2o -q > $O/gg.log 2>&1
$L train --trainer bptt --objective quadratic --param dimension=10 --train-objectives 20 --steps 40 --iterations 3 --trainer-param epochs-per-iteration=5 --out $O/bptt.l2o -q > $O/bptt.log 2>&1
$L experiment li-malik-2016 --quick --out $O/e16 > $O/e16.log 2>&1
$L experiment li-malik-2017 --quick --out $O/e17 > $O/e17.log 2>&1
$L experiment rl-vs-supervised --quick --out $O/rvs > $O/rvs.log 2>&1
$L demo --out $O/demo > $O/demo.log 2>&1
echo finished > $O/done
