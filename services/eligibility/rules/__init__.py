"""Pure decision logic of the eligibility service: plain functions over plain values, no I/O.

- `school_age`: compulsory school age (Education Act 1996 s.8) and the seed's simple age band.
- `decision`: whether a reported child is missing education, and why (the three CME tests).
- `grounds`: what each reg 9(1) deletion ground means for that decision, as a data table.
- `matching`: whether a reported child is a child the hub already knows.

The rules and the reasoning behind them are in docs/eligibility-rules.md.
"""
