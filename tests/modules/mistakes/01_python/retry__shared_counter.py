# mistake: shared-counter
# expect: the attempt count must start afresh for each call
import functools
import time


def retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
    def decorate(func):
        state = {"attempt": 0}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            while True:
                state["attempt"] += 1
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if state["attempt"] >= max_attempts:
                        raise
                    sleep(backoff * 2 ** (state["attempt"] - 1))

        return wrapper

    return decorate
