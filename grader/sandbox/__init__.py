"""Run untrusted submission code: a warm runner process forks one limited child per submission.

``runner`` is the fork server (a fresh interpreter that never sees tests or bundles), ``child``
is what a forked child does, ``isolation`` holds the OS-level protections, ``client`` talks to a
runner from the grading process.
"""
