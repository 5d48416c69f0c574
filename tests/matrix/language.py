"""Permission-matrix row for the language switcher on every page.

Anyone may switch, signed in or not; the form needs its CSRF token, which the
matrix's anonymous client does not send (400). Signed-in users go back to
the page they came from (302), with the choice saved as their setting.
"""

ROWS = {
    ("POST", "/language"): ({"locale": "fr", "next": "/"}, (400, 302, 302, 302, 302, 302)),
}
