"""Renderers: results as terminal tables, JSON, JUnit XML, HTML pages, charts and the inline notebook display.

They read the engine's frozen result records and never grade; learner and instructor code call them.
"""
