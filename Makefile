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
# made again by the first grading command after a change to the graders (a pull): new hidden cases, 07's Spark
# class archive for a checkout set up before it existed; about 2 s when there is nothing new to make
WARMED     := $(VENV)/.mlkata-warmed
NB         ?=
MODULE     ?=
EX         ?=
INTERVIEW_ARGS ?=
# extra options of release, autograde and feedback, e.g. COURSE_ARGS=--force or COURSE_ARGS=--student=alice
COURSE_ARGS ?=
PYTEST_ARGS ?=
# the grading service's course file (README, "Run a class")
CONFIG     ?= course.toml

.PHONY: grade test exercises bench setup clean-venv course release autograde feedback export watch progress \
        reset interview hint serve tokens client

grade: $(WARMED)
	$(MLKATA) grade $(NB)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

exercises: $(STAMP)
	$(MLKATA) exercises

bench: $(WARMED)
	$(PY) benchmarks/bench_grading.py --sections

# the instructor's steps (README, "For instructors"): nbgrader's apps, run by `mlkata course` in course/
course: $(WARMED)
	$(MLKATA) course build $(MODULE)

release: $(WARMED)
	$(MLKATA) course release $(MODULE) $(COURSE_ARGS)

autograde: $(WARMED)
	$(MLKATA) course autograde $(MODULE) $(COURSE_ARGS)

feedback: $(WARMED)
	$(MLKATA) course feedback $(MODULE) $(COURSE_ARGS)

export: $(STAMP)
	$(MLKATA) course export

# a class on the grading service (README, "Run a class"): the service, its tokens, the students' wheel
serve: $(WARMED)
	$(MLKATA) serve --config $(CONFIG)

tokens: $(STAMP)
	$(MLKATA) tokens --config $(CONFIG) --instructor

client: $(STAMP)
	$(PY) -m pip wheel --no-deps --no-build-isolation --quiet -w dist ./client
	@ls dist/mlkata_client-*.whl

watch: $(WARMED)
	$(MLKATA) watch $(NB)

progress: $(STAMP)
	$(MLKATA) progress

reset: $(STAMP)
	$(MLKATA) reset $(MODULE)

interview: $(WARMED)
	$(MLKATA) interview $(INTERVIEW_ARGS)

hint: $(STAMP)
	$(MLKATA) hint $(MODULE) $(EX)

setup: $(WARMED)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# draw the generated hidden cases once (.mlkata/cases) and make what modules keep per machine, so no grading
# pays for them
$(WARMED): $(STAMP) $(wildcard graders/engine/*.py graders/modules/*/*.py)
	$(MLKATA) warm --quiet
	touch $(WARMED)

clean-venv:
	rm -rf $(VENV)
