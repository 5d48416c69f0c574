"""Pages of merging: the duplicates of a facility side by side, the merge confirmation,
and the undo offered after a merge."""

from flask import Blueprint

bp = Blueprint("merges", __name__)
