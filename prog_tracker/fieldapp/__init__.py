"""The field app: an installable, offline-first shell for instructors and caseworkers."""
