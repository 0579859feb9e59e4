"""The mobile JSON API of Field Reporting, framework-free: wire models, presenter, OpenAPI.

The Chalice blueprint (functions/field_reporting/api/chalicelib/mobile.py) only parses,
calls the intake service and renders with these modules.
"""
