"""The questions: eligibility, status and lineage, overlaps, search. The only layer app.py and cli.py call."""
