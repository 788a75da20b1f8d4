"""The grading service (``mlkata serve``): hidden tests stay on the server, students send answer cells.

Processes: one uvicorn process runs the FastAPI app (:mod:`.api`) and a dispatcher (:mod:`.dispatch`): by
default a pool of worker threads in the same process, each with its own warm Grader (one sandbox parent per
worker, every submission in a fresh sandbox forked from it). The queue is the store itself (:mod:`.store`):
a submission is written ``queued`` before anyone grades it, so a restart finds it again.

Layering: the service may import the engine, the renderers and the instructor's path; nothing imports it
except ``graders.cli``.
"""
