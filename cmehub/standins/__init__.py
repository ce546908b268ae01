"""Stand-ins for the agencies the hub talks to, for demos and tests: small servers that
behave like the real endpoints (signatures, idempotency, acknowledgements, outages)."""
