"""The learner's tools: inline check/hint/solution, watch mode, history and progress, reset, mock interviews.

Built on the engine; never imports the instructor's path.
"""
