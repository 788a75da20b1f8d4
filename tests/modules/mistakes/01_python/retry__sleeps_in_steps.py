# mistake: wrong-delays
# expect: retries need one wait each
import functools
import time


def retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
    """Waits in short steps (to stay responsive to Ctrl-C): right total, but one sleep per step, not per retry."""
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == max_attempts:
                        raise
                    remaining = backoff * 2 ** (attempt - 1)
                    while remaining > 0:
                        step = min(remaining, 0.25)
                        sleep(step)
                        remaining -= step

        return wrapper

    return decorate
