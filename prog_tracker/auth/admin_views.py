"""Temporary scaffold (being written by a helper)."""

from flask import Blueprint

bp = Blueprint("admin_users", __name__)
