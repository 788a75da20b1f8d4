"""The module's text: the help() topics that ship with Python (``pydoc_data.topics``), nothing downloaded.

The exact text differs a little between Python patch releases; every case is computed from whatever this
interpreter ships, by the oracle and the learner alike.
"""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def pydoc_text() -> str:
    """The help topics joined in sorted key order (about 465k characters)."""
    from pydoc_data.topics import topics

    return "".join(topics[key] for key in sorted(topics))
