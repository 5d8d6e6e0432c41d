#!/usr/bin/env bash
# The stance experiments of the closing note: the default, seed variance, the masking ablation,
# cross-topic pre-training (stage 1 on public debate pairs, then the default config from it), and
# the mpnet base model, fully trained (mpnet) and within the 20-minute budget (mpnet-fast). Each
# MiniLM variant is the default config with overrides; models go to models/NAME, evaluations (JSON)
# to $EXPERIMENTS (default runs/experiments/) on three sets: the corpus dev split, the real seed
# quotes and the quotes of the project's dev articles ("devnews"). Every evaluation has the model
# with and without prior adaptation. Baselines are trained next to the default, the unmasked
# ablation (same unmasked inputs) and mpnet (its own frozen embeddings; mpnet-fast shares them).
# Re-running skips what is done.
# Usage: bash scripts/stance_experiments.sh [VARIANT...]   (default: the MiniLM variants, in this order)
set -euo pipefail
cd "$(dirname "$0")/.."
STANCE=.venv/bin/stance
OUT=${EXPERIMENTS:-runs/experiments}
mkdir -p "$OUT"
declare -A VARIANTS=(
  [minilm]=""
  [minilm-s14]="--set seed=14"
  [minilm-s15]="--set seed=15"
  [minilm-nomask]="--set mask_entities=false"
  [minilm-crosstopic]="--set init_from=models/crosstopic"
  [mpnet]=""
  [mpnet-fast]=""
)
train() {  # NAME CONFIG [OVERRIDES...]
  local name=$1 config=$2
  shift 2
  [ -f "models/$name/stance_meta.json" ] && return
  echo "== training $name"
  /usr/bin/time -f "$name trained in %e s (max RSS %M KB)" $STANCE train --config "$config" --set "name=$name" "$@"
}
evaluate() {  # NAME SPLIT [--data FILE]
  local name=$1 split=$2 extra=--no-baselines
  shift 2
  case $name in minilm | minilm-nomask | mpnet) extra=--baselines ;; esac  # mpnet-fast: same inputs as mpnet
  [ -f "$OUT/$name-$split.json" ] && return
  $STANCE evaluate --model "models/$name" $extra --json "$@" > "$OUT/.$name-$split.tmp"
  mv "$OUT/.$name-$split.tmp" "$OUT/$name-$split.json"
}
for name in ${@:-minilm minilm-s14 minilm-s15 minilm-nomask minilm-crosstopic}; do
  [ "$name" = minilm-crosstopic ] && train crosstopic configs/stance/crosstopic.yaml
  # shellcheck disable=SC2086
  config=configs/stance/default.yaml
  case $name in mpnet | mpnet-fast) config=configs/stance/$name.yaml ;; esac
  train "$name" "$config" ${VARIANTS[$name]}
  evaluate "$name" dev
  evaluate "$name" seeds --data data/stance/test_seeds.jsonl
  evaluate "$name" devnews --data data/stance/test_devnews.jsonl
done
.venv/bin/python scripts/experiment_table.py "$OUT"
