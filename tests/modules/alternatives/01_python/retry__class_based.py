import functools
import time


class retry:
    """A decorator factory written as a class."""

    def __init__(self, max_attempts=3, backoff=0.0, exceptions=(Exception,), sleep=time.sleep):
        self.max_attempts, self.backoff, self.exceptions, self.sleep = max_attempts, backoff, exceptions, sleep

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            last = None
            for k in range(self.max_attempts):
                if k:
                    self.sleep(self.backoff * 2 ** (k - 1))
                try:
                    return func(*args, **kwargs)
                except self.exceptions as exc:
                    last = exc
            raise last

        return wrapper
