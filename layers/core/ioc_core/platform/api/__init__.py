"""The one API kit every Chalice app of the IOC uses: the route table and its OpenAPI
document (``routes``, ``openapi``), and the Chalice side (``http``: problem+json, requests with
limits, the middleware that checks every route against its table and fails closed)."""
