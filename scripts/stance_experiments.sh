#!/usr/bin/env bash
# The stance experiments of the closing note: seed variance, the masking ablation and (when its
# stage-1 model exists) cross-topic pre-training. Each variant is the default config with
# overrides; models go to models/NAME, evaluations (JSON) to runs/experiments/. Re-running skips
# what is done. Usage: bash scripts/stance_experiments.sh [VARIANT...]
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
for name in "${@:-minilm minilm-s14 minilm-s15 minilm-nomask}"; do
  for n in $name; do
    if [ ! -f "models/$n/stance_meta.json" ]; then
      echo "== training $n"
      # shellcheck disable=SC2086
      /usr/bin/time -f "$n trained in %e s (max RSS %M KB)" $STANCE train --config configs/stance/default.yaml --set name=$n ${VARIANTS[$n]}
    fi
    extra="--no-baselines"
    [ "$n" = minilm ] && extra="--baselines"
    [ -f "$OUT/$n-dev.json" ] || { $STANCE evaluate --model "models/$n" $extra --json > "$OUT/.$n-dev.tmp" && mv "$OUT/.$n-dev.tmp" "$OUT/$n-dev.json"; }
    [ -f "$OUT/$n-seeds.json" ] || { $STANCE evaluate --model "models/$n" --data data/stance/test_seeds.jsonl $extra --json > "$OUT/.$n-seeds.tmp" && mv "$OUT/.$n-seeds.tmp" "$OUT/$n-seeds.json"; }
  done
done
.venv/bin/python scripts/experiment_table.py "$OUT"
