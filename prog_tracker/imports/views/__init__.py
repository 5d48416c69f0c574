"""The officer's import page: upload, check (a dry run), import (pages.py)."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")
