"""02_math: linear algebra, probability, calculus, optimisation (numpy/scipy).

Kept empty on purpose: the sandbox imports ``helpers`` (the functions handed to
learner code) without the oracles; the grading process imports ``spec``.
"""
