"""Resident accounts (the identity provider and sign-in come with the workflow issue)."""
