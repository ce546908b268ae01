"""Who is calling: principals with scopes, API keys stored hashed, signed webhooks."""
