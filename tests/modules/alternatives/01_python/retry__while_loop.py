import time
from functools import update_wrapper


def retry(max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
    """A while loop, a delay that doubles, update_wrapper instead of @wraps."""
    if isinstance(exceptions, type):
        exceptions = (exceptions,)

    def decorator(func):
        def wrapper(*args, **kwargs):
            attempt, delay = 1, backoff
            while True:
                try:
                    return func(*args, **kwargs)
                except BaseException as exc:
                    if not isinstance(exc, exceptions) or attempt >= max_attempts:
                        raise
                if delay:
                    sleep(delay)
                attempt += 1
                delay *= 2

        return update_wrapper(wrapper, func)

    return decorator
