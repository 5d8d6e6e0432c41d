#!/usr/bin/env bash
# The main job end to end on the shipped data: train the default model if absent, score the five
# seed articles (runs/seeds) and, with them, the project's own development articles (runs/demo),
# and write the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
STANCE=.venv/bin/stance
MODEL=models/mpnet-f4  # what configs/stance/default.yaml trains (15-20 minutes on 2 cores with AMX)
if [ ! -f "$MODEL/stance_meta.json" ]; then
  echo "== training the default stance model (configs/stance/default.yaml)"
  $STANCE train --config configs/stance/default.yaml
fi
echo "== quotes of the seed articles"
$STANCE extract data/seeds --format table
echo "== scoring the seed articles, then the seeds with the project's development articles"
$STANCE score data/seeds --model "$MODEL" --out runs/seeds
$STANCE report runs/seeds --by organisation --format md
$STANCE report runs/seeds --by organisation --format html
$STANCE score data/seeds data/dev/articles --model "$MODEL" --out runs/demo
$STANCE report runs/demo --by organisation --format html
$STANCE report runs/demo --by type --format md
echo "== reports: $(pwd)/runs/seeds/report_organisation.html and $(pwd)/runs/demo/report_organisation.html"
