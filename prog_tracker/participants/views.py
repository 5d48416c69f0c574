"""Temporary scaffold (being written by a helper)."""

from flask import Blueprint

bp = Blueprint("participants", __name__)
