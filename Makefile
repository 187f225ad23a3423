# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test app notebooks docs bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m model run

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

app: $(STAMP)
	$(BIN)/streamlit run app.py

notebooks: $(STAMP)
	$(BIN)/python notebooks/execute.py --full

docs: $(STAMP)
	$(BIN)/python docs/build.py --out build/book

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf $(VENV) .pytest_cache build
