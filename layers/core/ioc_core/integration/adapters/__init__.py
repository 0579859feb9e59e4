"""The integration room's adapters: the only code of the room that imports boto3 or pynamodb."""
