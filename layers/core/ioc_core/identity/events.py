"""Identity's CloudEvents. No personal data: an account is named by its id and ward only."""

from __future__ import annotations

ACCOUNT_REGISTERED = "identity.account.registered"
EMITS = (ACCOUNT_REGISTERED,)
