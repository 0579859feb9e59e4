"""The embedded default: the whole system on one machine, moto standing in for AWS.

Not shipped in the Lambda layer."""
