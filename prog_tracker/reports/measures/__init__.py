"""How each SPEC §7 indicator and the journey funnel are counted, in SQL."""
