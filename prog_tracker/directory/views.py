"""Temporary scaffold (being written by a helper)."""

from flask import Blueprint

bp = Blueprint("directory", __name__)
