"""The 01_python module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import gitrepos, jsonl
from .batched import batched
from .distance import vectorized_distance
from .gitrepos import changed_files
from .jsonl import stream_jsonl
from .lru import LRUCache
from .median_tests import write_tests_for_median
from .prepare import prepare_data
from .quality import summarise_runs
from .retry import retry
from .settings import Settings

# the judges whose oracles keep their outputs, and those oracles: the git checks' (commit ids, differing paths,
# repository states) and what a correct reader yields on stream_jsonl's large file (its one case has no arguments:
# the oracle is called with the file's recipe)
KEPT = {**gitrepos.KEPT, jsonl.judge_memory: (jsonl.BIG, lambda case: jsonl.BIG_ARGS)}


def keep_oracle_outputs() -> str:
    """Compute what the git checks and stream_jsonl's large file expect, once per machine (``mlkata warm``): a
    grade then builds no repository and parses no large file in the grading process."""
    return f"{keep_outputs(MODULE, KEPT)} outputs of the git and JSON-lines oracles kept"


MODULE = Module(
    id="01_python",
    version="1",
    title="Programming foundations for production ML code",
    skill="python",
    exercises=(batched, vectorized_distance, write_tests_for_median, LRUCache, Settings, prepare_data, retry,
               stream_jsonl, changed_files, summarise_runs),
    # Not torch, scikit-learn or scipy, whose distances vectorized_distance blocks: a tripwire is wired when
    # its library loads, so only a learner who imports one pays for it
    # pyarrow's pandas conversion: what prepare_data's probe imported on first use, in every fresh child
    preload=("numpy", "pandas", "pyarrow.pandas_compat", "pyarrow.vendored.version", "pydantic",
             "pydantic_settings", "yaml", "graders.modules.m01_python.helpers",
             # the sandbox-side files (probes and data generators): the only files of this module the box shows
             "graders.modules.m01_python.sandbox_basics", "graders.modules.m01_python.sandbox_config",
             "graders.modules.m01_python.sandbox_files", "graders.modules.m01_python.sandbox_git"),
    isolated_answers=True,
    # two answers at a time, each in its own sandbox (engine/parallel.py): one at a time, a 6 s grade spent 7 CPU-s
    # (git, pytest, the speed race) on two cores. LRUCache, whose O(1) verdict is a time ratio, is graded alone
    parallel_exercises=True,
    # the grading process imports them while the sandbox starts: its references
    grading_imports=("scipy.spatial.distance", "pandas", "pydantic", "pydantic_settings", "yaml"),
    warm_up=keep_oracle_outputs,
)
