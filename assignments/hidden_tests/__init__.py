"""Hidden tests of the assignments, one module per assignment.

They live next to the course's ``nbgrader_config.py``, outside ``source/``, so
``nbgrader generate_assignment`` never copies them into the student release, and the
feedback shows only the line that calls them. ``nbgrader_config.py`` puts this folder's
parent on the ``PYTHONPATH`` of the autograder's kernels. Each test calls a public
check of :mod:`actlib.teaching.checks` with cases the visible checks do not try.
"""
