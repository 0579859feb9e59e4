"""Adapters of the cameras subsystem: PynamoDB tables and S3 buckets."""
