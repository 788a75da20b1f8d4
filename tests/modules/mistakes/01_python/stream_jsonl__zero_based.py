# mistake: line-numbers-zero-based
# expect: your bad line numbers start at 0
import json


def stream_jsonl(path, bad=None):
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                yield value
            elif bad is not None:
                bad.append(number)
