"""Trades, cohorts, enrolments, sessions and attendance."""
