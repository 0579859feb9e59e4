"""Integration with the province's monitoring center: the versioned event contract (a JSON
Schema per event type, kept in the room that emits it), subscriptions and signed push
deliveries, pull and replay for systems that poll, and the province's directives coming back
down as tasks."""
