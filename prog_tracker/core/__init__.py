"""Shared plumbing every domain uses: errors, pagination, policy, audit, security, i18n."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.core import pages

    app.register_blueprint(pages.bp)
