# mistake: retries-unlisted
# expect: is not among `exceptions`, yet you retried it
import functools
import time


def retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except Exception:
                    if attempt == max_attempts:
                        raise
                    sleep(backoff * 2 ** (attempt - 1))

        return wrapper

    return decorate
