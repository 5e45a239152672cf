"""nbgrader configuration of the course (see the book's page "For instructors").

This folder is a complete nbgrader course directory: copy it (``cp -r assignments
~/course``), then run every nbgrader command, and start JupyterLab for Formgrader, from
the copy. One nbgrader assignment per notebook, so grades are kept per assignment:

    source/<assignment>/<assignment>.ipynb   the instructor versions (solutions, hidden tests)
    hidden_tests/                            the hidden tests, outside source/ on purpose
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "activation-functions"
# An absolute root: the course is found from any working directory, without nbgrader's
# "root '.' is not absolute" warning.
c.CourseDirectory.root = str(HERE)

# Keep the stub in front of each solution region, so the student version runs top to
# bottom: nbgrader replaces only the lines between ### BEGIN SOLUTION and ### END SOLUTION,
# here by a comment instead of its default `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.Execute.timeout = 120

# The hidden tests live in hidden_tests/ next to this file. generate_assignment copies
# everything in source/<assignment>/ into the release, so they are kept out of source/;
# the autograder's kernels (started by nbgrader from this process) find them on PYTHONPATH.
_paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(HERE)]
os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE), *_paths])

# Feedback: nbgrader's own preprocessors, then one that removes hidden-test source, keeps
# only the student's frames in tracebacks (no library files, no machine paths), wraps long
# lines and turns MyST-only Markdown into plain Markdown.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "actlib.teaching.checks.grading.FeedbackPreprocessor",
]
