"""nbgrader configuration for the book's assignments (see instructors.md).

Copy this file to the root of your nbgrader course directory. It keeps the stubs that
the notebooks put in front of each solution region, so the student version runs top
to bottom: nbgrader replaces only the lines between ``### BEGIN SOLUTION`` and
``### END SOLUTION``, here by a comment instead of its default
``raise NotImplementedError()``.
"""

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "activation-functions"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# The checks print their own feedback; a failing grade cell shows CheckFailed's message.
c.Execute.timeout = 120
