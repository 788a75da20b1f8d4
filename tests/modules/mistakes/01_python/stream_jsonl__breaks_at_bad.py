# mistake: stops-at-first-bad
# expect: you stopped reading at the first bad line
import json


def stream_jsonl(path, bad=None):
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                yield value
            else:
                if bad is not None:
                    bad.append(number)
                return
