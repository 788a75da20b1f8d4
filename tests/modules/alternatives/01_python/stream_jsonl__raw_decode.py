import json
from pathlib import Path

_DECODER = json.JSONDecoder()


def stream_jsonl(path, bad=None):
    """A while loop over readline() and JSONDecoder.raw_decode, trailing spaces allowed."""
    with Path(path).open("r", encoding="utf-8") as fh:
        number = 0
        while True:
            line = fh.readline()
            if not line:
                return
            number += 1
            text = line.strip()
            if not text:
                continue
            try:
                value, end = _DECODER.raw_decode(text)
                ok = end == len(text) and type(value) is dict
            except ValueError:
                ok = False
            if ok:
                yield value
            elif bad is not None:
                bad.append(number)
