"""Release, return to custody, transfer, release plans and follow-ups (issue 4)."""
