"""Stacks split by lifecycle: data, HTTP APIs, event functions, scheduled jobs, console, observability."""
