"""Staff accounts, their roles and scopes, and API tokens for machines."""
