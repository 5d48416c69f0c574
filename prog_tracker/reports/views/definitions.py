"""How the dashboard's figures are counted, in the reader's language."""

from flask import g, render_template

from prog_tracker.core import policy
from prog_tracker.reports import labels
from prog_tracker.reports.dashboard import TOO_FEW
from prog_tracker.reports.measures.definitions import KEYS, RATES
from prog_tracker.reports.views import bp


@bp.route("/reports/definitions")
def show_definitions():
    """Each indicator's name, what it counts, and the rules every figure follows."""
    policy.require(g.user, "report.read")
    indicators = [
        {
            "key": key,
            "label": labels.INDICATORS[key],
            "definition": labels.DEFINITIONS[key],
            "rate": key in RATES,
        }
        for key in KEYS
    ]
    return render_template("reports/definitions.html", indicators=indicators, too_few=TOO_FEW)
