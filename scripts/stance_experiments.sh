#!/usr/bin/env bash
# The stance experiments of the closing note: the default, seed variance, the masking ablation and
# cross-topic pre-training (stage 1 on public debate pairs, then the default config from it). Each
# variant is the default config with overrides; models go to models/NAME, evaluations (JSON) to
# runs/experiments/. Re-running skips what is done.
# Usage: bash scripts/stance_experiments.sh [VARIANT...]   (default: all of them, in this order)
set -euo pipefail
cd "$(dirname "$0")/.."
STANCE=.venv/bin/stance
OUT=runs/experiments
mkdir -p "$OUT"
declare -A VARIANTS=(
  [minilm]=""
  [minilm-s14]="--set seed=14"
  [minilm-s15]="--set seed=15"
  [minilm-nomask]="--set mask_entities=false"
  [minilm-crosstopic]="--set init_from=models/crosstopic"
)
train() {  # NAME CONFIG [OVERRIDES...]
  local name=$1 config=$2
  shift 2
  [ -f "models/$name/stance_meta.json" ] && return
  echo "== training $name"
  /usr/bin/time -f "$name trained in %e s (max RSS %M KB)" $STANCE train --config "$config" --set "name=$name" "$@"
}
evaluate() {  # NAME SPLIT [--data FILE] ; baselines only next to the default
  local name=$1 split=$2 extra=--no-baselines
  shift 2
  [ "$name" = minilm ] && extra=--baselines
  [ -f "$OUT/$name-$split.json" ] && return
  $STANCE evaluate --model "models/$name" $extra --json "$@" > "$OUT/.$name-$split.tmp"
  mv "$OUT/.$name-$split.tmp" "$OUT/$name-$split.json"
}
for name in ${@:-minilm minilm-s14 minilm-s15 minilm-nomask minilm-crosstopic}; do
  [ "$name" = minilm-crosstopic ] && train crosstopic configs/stance/crosstopic.yaml
  # shellcheck disable=SC2086
  train "$name" configs/stance/default.yaml ${VARIANTS[$name]}
  evaluate "$name" dev
  evaluate "$name" seeds --data data/stance/test_seeds.jsonl
done
.venv/bin/python scripts/experiment_table.py "$OUT"
