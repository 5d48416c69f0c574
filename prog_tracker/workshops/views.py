"""HTML pages for workshops: cohorts, enrolment, sessions, attendance rolls, skills."""

from flask import Blueprint

bp = Blueprint("workshops", __name__)
