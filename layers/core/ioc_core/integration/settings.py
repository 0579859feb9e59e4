"""Names the integration room's code and the stack share (no imports: the room declaration
reads them)."""

from __future__ import annotations

# The secret shared with the province, ``whsec_<base64>`` or its base64 alone: two,
# space-separated, while it is rotated (the old one is dropped once the province signs with the
# new one). Locally the value itself; in AWS the ARN of the Secrets Manager secret the stack
# generates for the integration API.
SECRET_VARIABLE = "IOC_DIRECTIVES_SECRET"  # noqa: S105 (the variable's name, not a secret)
SECRET_ID_VARIABLE = "IOC_DIRECTIVES_SECRET_ID"  # noqa: S105
