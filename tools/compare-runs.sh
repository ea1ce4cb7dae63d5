#!/bin/bash
# compare-runs.sh A B: the weight arrays of every learned file (not its JSON, which holds the
# creation time) and every summary.csv and tuned.json, byte for byte; exit 1 on any difference
A=$1; B=$2; rc=0
for f in $(cd $A && find . -name '*.l2o' | sort); do
  [ -f $B/$f ] || { echo "MISSING $f"; rc=1; continue; }
  for e in $(unzip -Z1 $A/$f | grep -v '\.json$'); do
    if cmp -s <(unzip -p $A/$f $e) <(unzip -p $B/$f $e); then echo "same   $f:$e"; else echo "DIFFER $f:$e"; rc=1; fi
  done
done
for f in $(cd $A && find . -name 'summary.csv' -o -name 'tuned.json' | sort); do
  if cmp -s $A/$f $B/$f; then echo "same   $f"; else echo "DIFFER $f"; rc=1; fi
done
exit $rc
