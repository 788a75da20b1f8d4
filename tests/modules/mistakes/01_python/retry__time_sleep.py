# mistake: sleep-not-injected
# expect: the injected `sleep` was never called
import functools
import time


def retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == max_attempts:
                        raise
                    time.sleep(backoff * 2 ** (attempt - 1) / 1000)

        return wrapper

    return decorate
