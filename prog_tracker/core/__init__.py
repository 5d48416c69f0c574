"""Shared plumbing every domain uses: errors, pagination, policy, audit, security, i18n."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app."""
    from prog_tracker.core import forms, pages

    app.register_blueprint(pages.bp)
    # Creating forms render <input type="hidden" name="form_id" value="{{ one_time_form_id() }}">.
    app.jinja_env.globals["one_time_form_id"] = forms.one_time_form_id
