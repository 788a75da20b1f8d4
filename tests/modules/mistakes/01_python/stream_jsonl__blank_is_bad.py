# mistake: blank-lines-bad
# expect: you recorded blank lines as bad
import json


def stream_jsonl(path, bad=None):
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                yield value
            elif bad is not None:
                bad.append(number)
