# mistake: stops-at-first-bad
# expect: a malformed line raised instead of being skipped
import json


def stream_jsonl(path, bad=None):
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            value = json.loads(line)
            if isinstance(value, dict):
                yield value
            elif bad is not None:
                bad.append(number)
