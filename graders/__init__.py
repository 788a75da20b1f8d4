"""mlkata's autograder: engine, learner and instructor tools, renderers, CLI and the modules' graders."""
import sys

# nbformat imports jsonschema, and jsonschema imports rfc3987_syntax when it is installed (it is, for
# jupyter-events) to check "iri" formats: that import compiles 38 lark grammars, 1-5 s of every cold
# grade on 2 cores. Notebook schemas check no such format, so in a process that has not imported
# jsonschema yet, it is told the package is absent (its documented fallback). The zygote undoes this
# for learner code (engine/sandbox/zygote.py).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
