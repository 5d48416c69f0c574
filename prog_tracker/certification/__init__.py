"""Skills, qualifications, assessments, certificates and their verification."""
