import json


def stream_jsonl(path, bad=None):
    """Reads bytes in 64 KiB chunks and splits lines itself; decodes each line as UTF-8."""
    number, rest = 0, b""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(1 << 16)
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop() if chunk else b""
            for raw in lines if chunk else lines + ([rest] if rest else []):
                number += 1
                if not raw.strip():
                    continue
                try:
                    value = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    value = None
                if isinstance(value, dict):
                    yield value
                elif bad is not None:
                    bad.append(number)
            if not chunk:
                return
