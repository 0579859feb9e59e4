"""Subscriptions and signed push deliveries (Standard Webhooks) that survive a partner's outages:
a fan-out consumer writes one delivery per matching subscription, a forwarder sends them in
order per entity, retries on a Svix-like schedule and parks what still fails."""
