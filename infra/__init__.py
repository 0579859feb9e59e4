"""The CDK app: the whole system on AWS, generated from ioc_core.platform.resources."""
