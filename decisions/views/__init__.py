"""The decisions pages: decisions, outcomes and hypotheses, stakeholders, task links and skills credits."""
