# mistake: sleep-after-last
# expect: you slept once more after the final failed attempt
import functools
import time


def retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            error = None
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as exc:
                    error = exc
                    sleep(backoff * 2 ** (attempt - 1))
            raise error

        return wrapper

    return decorate
