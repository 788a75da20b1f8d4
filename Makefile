# mlkata: the first two targets are all a learner or CI needs.
#   make grade          set up (first time) and grade every notebook in exercises/
#   make grade NB=exercises/02_math.ipynb    grade one notebook
#   make test           set up (first time) and run the test suite
PYTHON     ?= python3
VENV       ?= .venv
# torch is installed first, pinned, so pip never resolves a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
PY         := $(VENV)/bin/python
# the project's console script (pyproject.toml); `python -m graders` is the same program
MLKATA     := $(VENV)/bin/mlkata
STAMP      := $(VENV)/.mlkata-installed
NB         ?=
MODULE     ?=
EX         ?=
INTERVIEW_ARGS ?=
PYTEST_ARGS ?=

.PHONY: grade test exercises bench setup clean-venv course watch progress reset interview hint

grade: $(STAMP)
	$(MLKATA) grade $(NB)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

exercises: $(STAMP)
	$(MLKATA) exercises

bench: $(STAMP)
	$(PY) benchmarks/bench_grading.py --sections

course: $(STAMP)
	$(MLKATA) course

watch: $(STAMP)
	$(MLKATA) watch $(NB)

progress: $(STAMP)
	$(MLKATA) progress

reset: $(STAMP)
	$(MLKATA) reset $(MODULE)

interview: $(STAMP)
	$(MLKATA) interview $(INTERVIEW_ARGS)

hint: $(STAMP)
	$(MLKATA) hint $(MODULE) $(EX)

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

clean-venv:
	rm -rf $(VENV)
