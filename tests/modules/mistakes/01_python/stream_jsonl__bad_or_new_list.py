# mistake: bad-replaced
# expect: `bad = bad or []` replaces an empty list
import json


def stream_jsonl(path, bad=None):
    bad = bad or []
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
                bad.append(number)
