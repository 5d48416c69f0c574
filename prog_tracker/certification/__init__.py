"""Skills, qualifications, assessments, certificates and their verification."""


def register(app, api) -> None:
    """Attach this domain's routes: JSON API blueprints to api, pages to app.

    Also judge the qualification a cohort names when workshops saves one
    (workshops sits below certification and may not import it).
    """
    from prog_tracker.certification import api as json_api
    from prog_tracker.certification import services, views
    from prog_tracker.certification.views import (  # noqa: F401 - routes join bp
        catalogue,
        certificates,
        checklist,
        cohort_skill,
        verify,
    )
    from prog_tracker.workshops import events

    api.register_blueprint(json_api.blp)
    app.register_blueprint(views.bp)
    events.checking_cohort.connect(services.check_cohort_qualification, weak=False)
