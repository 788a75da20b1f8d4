"""Grading on Celery workers through a Redis broker, for classes one machine cannot grade in time.

``app`` builds the Celery app (late acks, prefetch 1, recycling, routing), ``tasks`` is what a worker
runs (one warm Grader per worker process), ``client`` sends submissions and collects their reports,
``remote_batch`` is ``grade-batch --broker``. Workers start with the real Celery command::

    MLKATA_BROKER=redis://broker-host:6379/0 celery -A graders.instructor.scale.worker worker -Q mlkata -c 2
"""
