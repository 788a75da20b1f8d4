# mistake: yields-non-objects
# expect: lines holding a JSON array, number, string or null are not records
import json


def stream_jsonl(path, bad=None):
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                if bad is not None:
                    bad.append(number)
