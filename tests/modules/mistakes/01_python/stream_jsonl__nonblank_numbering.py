# mistake: line-numbers-skip-blank
# expect: your bad line numbers do not count blank lines
import json


def stream_jsonl(path, bad=None):
    with open(path, encoding="utf-8") as fh:
        lines = (line for line in fh if line.strip())
        for number, line in enumerate(lines, start=1):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                yield value
            elif bad is not None:
                bad.append(number)
