"""Security tests that cross every route: the canary crawl (issue 18)."""
