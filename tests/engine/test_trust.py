"""A class's submissions are graded as untrusted code; a learner's own notebook is not."""
from __future__ import annotations

from graders.engine.trust import UNTRUSTED_ENV, grading_untrusted, untrusted_grading


def test_untrusted_grading_is_set_inside_the_block_and_restored_after(monkeypatch):
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    assert not grading_untrusted()
    with untrusted_grading():
        assert grading_untrusted()
        with untrusted_grading():
            assert grading_untrusted()
        assert grading_untrusted()          # an inner block does not end the outer one
    assert not grading_untrusted()


def test_an_error_inside_the_block_still_restores_the_setting(monkeypatch):
    monkeypatch.setenv(UNTRUSTED_ENV, "0")
    try:
        with untrusted_grading():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert not grading_untrusted()
    import os
    assert os.environ[UNTRUSTED_ENV] == "0"
