#!/usr/bin/env bash
# The stance experiments of the closing note: the default (mpnet-f4) and the small model (minilm) with
# seed variance, the masking ablation, the mean-pooling head, cross-topic pre-training (stage 1 on
# public debate pairs, then the MiniLM config from it) and mpnet fully fine-tuned. Each variant is a
# config of configs/stance/ with overrides; models go to models/NAME, evaluations (JSON) to $EXPERIMENTS
# (default runs/experiments/) on four sets: the corpus dev split, the real seed quotes, the quotes of the
# project's dev articles ("devnews") and the held-out news-style part h14. Every evaluation has the model
# with and without prior adaptation. Baselines are trained next to minilm, mpnet-f4 (their frozen
# embeddings differ) and the unmasked runs (unmasked inputs). Re-running skips what is done.
# Usage: bash scripts/stance_experiments.sh [VARIANT...]   (default: the default model's seeds and ablation)
set -euo pipefail
cd "$(dirname "$0")/.."
STANCE=.venv/bin/stance
OUT=${EXPERIMENTS:-runs/experiments}
mkdir -p "$OUT"
declare -A VARIANTS=(  # name -> config [overrides]
  [mpnet-f4]="default"
  [mpnet-f4-s14]="default --set seed=14"
  [mpnet-f4-s15]="default --set seed=15"
  [mpnet-f4-nomask]="default --set mask_entities=false"
  [mpnet]="mpnet"
  [minilm]="minilm"
  [minilm-s14]="minilm --set seed=14"
  [minilm-s15]="minilm --set seed=15"
  [minilm-nomask]="minilm --set mask_entities=false"
  [minilm-mean]="minilm --set pooling=mean"
  [minilm-crosstopic]="minilm --set init_from=models/crosstopic"
)
train() {  # NAME CONFIG [OVERRIDES...]
  local name=$1 config=$2
  shift 2
  [ -f "models/$name/stance_meta.json" ] && return
  echo "== training $name"
  /usr/bin/time -f "$name trained in %e s (max RSS %M KB)" $STANCE train --config "configs/stance/$config.yaml" \
    --set "name=$name" "$@"
}
evaluate() {  # NAME SPLIT [--data FILE]
  local name=$1 split=$2 extra=--no-baselines
  shift 2
  case $name in minilm | minilm-nomask | mpnet-f4 | mpnet-f4-nomask) extra=--baselines ;; esac
  [ -f "$OUT/$name-$split.json" ] && return
  $STANCE evaluate --model "models/$name" $extra --json "$@" > "$OUT/.$name-$split.tmp"
  mv "$OUT/.$name-$split.tmp" "$OUT/$name-$split.json"
}
for name in ${@:-mpnet-f4 mpnet-f4-s14 mpnet-f4-s15 mpnet-f4-nomask}; do
  [ "$name" = minilm-crosstopic ] && train crosstopic crosstopic
  # shellcheck disable=SC2086
  train "$name" ${VARIANTS[$name]}
  evaluate "$name" dev
  evaluate "$name" seeds --data data/stance/test_seeds.jsonl
  evaluate "$name" devnews --data data/stance/test_devnews.jsonl
  evaluate "$name" h14 --data data/stance/test_h14.jsonl
done
.venv/bin/python scripts/experiment_table.py "$OUT"
