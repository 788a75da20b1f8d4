"""The module's text: English prose that ships with Python (``pydoc_data.topics``), nothing downloaded.

Hidden cases are cut from it with fixed seeds. The exact text differs a little between Python
patch releases; every case is computed from whatever this interpreter ships, by the oracle and
the learner alike, and the case generators check the properties they rely on (see ``regex_bpe``).
"""
from __future__ import annotations

import functools
import re

import numpy as np

WORD = re.compile(r"[A-Za-z]+")


@functools.lru_cache(maxsize=1)
def pydoc_text() -> str:
    """The 79 help topics joined in sorted key order (about 465k characters)."""
    from pydoc_data.topics import topics

    return "".join(topics[key] for key in sorted(topics))


def excerpt(rng: np.random.Generator, n_chars: int) -> str:
    """A random stretch of the corpus starting at a line start."""
    text = pydoc_text()
    start = int(rng.integers(0, len(text) - n_chars - 1))
    start = text.find("\n", start) + 1
    return text[start:start + n_chars]


@functools.lru_cache(maxsize=1)
def paragraphs() -> tuple[str, ...]:
    """Prose paragraphs (no code blocks, no headings) of at least 40 characters, in corpus order."""
    out = []
    for block in re.split(r"\n\s*\n", pydoc_text()):
        lines = block.strip("\n").splitlines()
        if not lines or any(line.startswith("   ") for line in lines) or set(lines[-1]) <= set("*=-"):
            continue
        text = " ".join(line.strip() for line in lines)
        if len(text) >= 40:
            out.append(text)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def sentences() -> tuple[tuple[str, ...], ...]:
    """Sentences of the prose as lower-case word lists (3 to 30 words)."""
    out = []
    for para in paragraphs():
        for sent in re.split(r"(?<=[.!?])\s+", para):
            words = tuple(w.lower() for w in WORD.findall(sent))
            if 3 <= len(words) <= 30:
                out.append(words)
    return tuple(out)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def pick(rng: np.random.Generator, items, k: int) -> list:
    """k distinct items in a seeded random order."""
    idx = rng.choice(len(items), size=k, replace=False)
    return [items[i] for i in idx]
