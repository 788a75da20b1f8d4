"""JUnit XML (``python -m graders grade --junit FILE``) for CI systems.

One ``<testsuite>`` per notebook, one ``<testcase>`` per exercise. An exercise
that is wrong or not attempted is a ``<failure>`` (the work is not done: CI
should go red); a crash, a timeout or a grader bug is an ``<error>``. The body is
the learner-facing feedback only (each failed check's own line), so the XML never carries hidden-test source
or expected values. Points go in ``<properties>`` and ``<system-out>``, since
JUnit has no notion of partial credit.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from graders.engine.results import ExerciseResult, GradeReport, NotebookResult, Status

ERRORS = {Status.ERROR, Status.TIMEOUT, Status.GRADER_ERROR}
# characters XML 1.0 cannot hold at all (a learner's exception message may contain them)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("?", text)


def _testcase(suite_name: str, ex: ExerciseResult) -> ET.Element:
    case = ET.Element("testcase", classname=_clean(suite_name), name=_clean(ex.id), time="0")
    summary = f"{ex.status.public}: {ex.points:g}/{ex.max_points:g} points"
    if ex.status is Status.SKIPPED:
        ET.SubElement(case, "skipped", message=_clean("; ".join(ex.feedback)))
    elif ex.status is not Status.PASSED:
        tag = "error" if ex.status in ERRORS else "failure"
        node = ET.SubElement(case, tag, message=_clean(summary), type=ex.status.public)
        node.text = _clean("\n".join(ex.details))      # every failed check, repeats included
    ET.SubElement(case, "system-out").text = summary
    return case


def _testsuite(nb: NotebookResult) -> ET.Element:
    name = f"mlkata.{nb.module}" if nb.module else f"mlkata.{nb.path}"
    suite = ET.Element("testsuite", name=_clean(name), time=f"{nb.seconds:.3f}")
    props = ET.SubElement(suite, "properties")
    for key, value in (("notebook", nb.path), ("points", f"{nb.points:g}"), ("max_points", f"{nb.max_points:g}")):
        ET.SubElement(props, "property", name=key, value=_clean(value))
    if nb.error:
        case = ET.SubElement(suite, "testcase", classname=_clean(name), name="notebook", time="0")
        ET.SubElement(case, "error", message=_clean(nb.error), type="notebook").text = _clean(nb.error)
        cases = [case]
    else:
        cases = [_testcase(name, ex) for ex in nb.exercises]
        suite.extend(cases)
    failures = sum(c.find("failure") is not None for c in cases)
    errors = sum(c.find("error") is not None for c in cases)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    return suite


def to_xml(report: GradeReport) -> str:
    root = ET.Element("testsuites", name="mlkata")
    suites = [_testsuite(nb) for nb in report.notebooks]
    root.extend(suites)
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key)) for s in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
