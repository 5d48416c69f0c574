"""Tests of indicators, the dashboard and exports (issue 7)."""
