"""Permission-matrix rows for the public routes: health checks, the web manifest and the
OpenAPI document answer everyone, signed in or not."""

EVERYONE = (200, 200, 200, 200, 200, 200)

ROWS = {
    ("GET", "/healthz"): (None, EVERYONE),
    ("GET", "/readyz"): (None, EVERYONE),
    ("GET", "/manifest.json"): (None, EVERYONE),
    ("GET", "/api/v1/openapi.json"): (None, EVERYONE),
}
