"""Who may do what with cameras, and the one function that names the caller.

Operators verify, dispatch and close alerts; leaders and admins read; admins register cameras
and draw zones. Camera gateways never hold staff tokens: they upload with their own key.
"""

from __future__ import annotations

from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.principal import Principal, Role
from ioc_core.shared.errors import Forbidden

READ = (Role.OPERATOR, Role.LEADER, Role.ADMIN)
OPERATE = (Role.OPERATOR,)
ADMINISTER = (Role.ADMIN,)


def caller(authorization: str | None, allowed: tuple[Role, ...]) -> Principal:
    """The signed-in caller allowed to act here (401 without a token, 403 for other roles).
    The only place the cameras API learns who calls: identity's verifier does the work."""
    from ioc_core.identity.wiring import authenticate

    principal = authenticate(authorization)
    if not principal.authenticated:
        raise Unauthenticated("Đăng nhập để tiếp tục / Sign in: send 'Authorization: Bearer <token>'.")
    if principal.acting_role(allowed) is None:
        names = ", ".join(r.value for r in allowed)
        raise Forbidden(f"Không có quyền / This is for: {names}.")
    return principal
