"""The audit log: reasons given for reading one person's record, and the review of events."""
