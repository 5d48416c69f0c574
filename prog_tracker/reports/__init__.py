"""Reports for supervisors and donors: indicators (SPEC §7), the dashboard, exports."""
