"""Field Reporting's /api/v1 contract, framework-free: wire models, presenters, the route
table and its OpenAPI document. The resident app and the console speak it.

The Chalice blueprints (functions/field_reporting/api/chalicelib/) only parse, call one
service and render with these modules, through the platform's API kit.
"""
