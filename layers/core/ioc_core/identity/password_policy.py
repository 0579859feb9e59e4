"""The staff pool's password policy, one definition for the stack (infra/stacks/identity.py),
the dev IdP (which refuses what Cognito would) and the temporary passwords an administrator
hands out."""

from __future__ import annotations

import secrets
import string

MIN_LENGTH = 12
TEMPORARY_DAYS = 3  # a temporary password not changed by then no longer signs in
SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"  # Cognito's special characters
_CLASSES = (
    ("a lowercase letter", string.ascii_lowercase),
    ("an uppercase letter", string.ascii_uppercase),
    ("a digit", string.digits),
    ("a symbol", SYMBOLS),
)


def password_problems(password: str) -> list[str]:
    """What a password lacks for the policy (empty: it is acceptable)."""
    problems = [] if len(password) >= MIN_LENGTH else [f"at least {MIN_LENGTH} characters"]
    problems += [name for name, chars in _CLASSES if not any(c in chars for c in password)]
    if password != password.strip():
        problems.append("no space at either end")
    return problems


def temporary_password(length: int = 16) -> str:
    """A random password the policy accepts; a symbol that reads unambiguously aloud."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = [secrets.choice(alphabet) for _ in range(length - 2)]
        body += [secrets.choice("!@#%+="), secrets.choice(string.digits)]
        secrets.SystemRandom().shuffle(body)
        candidate = "".join(body)
        if not password_problems(candidate):
            return candidate
