"""Pure decision logic of the tracing service: plain functions over plain values, no I/O.

- `calendar`: school days (weekdays, England bank holidays, terms, closures) for deadlines.
- `plan`: which checks a newly identified CME child's case starts with, and who performs them.
- `contact`: which checks must have a result before an officer contacts the family.
- `outcomes`: what each case outcome does (close, transfer) and the details it needs.
- `escalation`: the police risk level and urgency of a case, and what its deadline triggers.

The rules and the reasoning behind them are in docs/tracing-rules.md.
"""
