"""People in the programme.

Importing the package sets the guard that keeps anonymised records unchanged
(anonymised.py), so it is in place wherever a person's records can be written.
"""

from prog_tracker.participants import anonymised  # noqa: F401
