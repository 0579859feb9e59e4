"""Core package of the Phan Thiet IOC, shipped to Lambda as the core layer.

Each subsystem has its own room (``field_reporting``, later ``cameras``, ``traffic``...),
layered as models → service → ports → adapters. ``shared`` holds what every subsystem
needs (clock, errors, text, CloudEvents); ``platform`` holds the AWS plumbing shared by all
(resource definitions, outbox, event relay, projections).
"""

__version__ = "0.1.0"
