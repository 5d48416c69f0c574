"""Public certificate verification pages: no sign-in, rate-limited, never indexed.

Nothing on these pages may reveal that the holder was imprisoned: they show
only what the printed certificate shows, with the training centre's public name.
"""

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.certification import certificates
from prog_tracker.certification.views import bp
from prog_tracker.core.errors import not_found, validation_error
from prog_tracker.core.forms import render_form
from prog_tracker.core.security import public
from prog_tracker.extensions import limiter

VERIFY_ENDPOINTS = {"certification.verify_form", "certification.verify_certificate"}


def _verify_limit() -> str:
    """The configured rate limit for verification (per address)."""
    return current_app.config["VERIFY_LIMIT"]


@bp.after_request
def keep_verification_private(response):
    """Verification pages (and their 404/429 answers) stay out of search engines and caches."""
    if request.endpoint in VERIFY_ENDPOINTS:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        # A cached "Valid" must not outlive a revocation; the holder's name is not for proxies.
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/verify")
@public
@limiter.limit(_verify_limit)
def verify_form():
    """A form to type a certificate code; a typed code goes to its page."""
    if "code" not in request.args:
        return render_form("certification/verify_form.html", {})
    typed = request.args.get("code", "")
    canonical = certificates.normalise_code(typed)
    if canonical is None:
        return render_form("certification/verify_form.html", {"code": typed}, _code_error(typed))
    return redirect(url_for(".verify_certificate", code=canonical))


def _code_error(typed: str):
    """Why a typed code leads to no page: nothing typed, or not a code at all."""
    if not typed.strip():
        return validation_error({"code": [_("Type the code printed on the certificate.")]})
    return validation_error(
        {
            "code": [
                _(
                    "This is not a certificate code. A code has 16 letters and digits, "
                    "for example 7Q2K-9XMD-4HT0-BV3R."
                )
            ]
        }
    )


@bp.route("/verify/<code>")
@public
@limiter.limit(_verify_limit)
def verify_certificate(code):
    """What a certificate's code attests, and whether it is still valid (audited)."""
    found = certificates.verification(code)
    if found is None:
        raise not_found()
    return render_template("certification/verify.html", certificate=found)
