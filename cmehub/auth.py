"""Authentication for every HTTP edge: bearer API keys, resolved to a principal with scopes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from adapters.auth.identity import Identity
from adapters.auth.principal import Principal

bearer = HTTPBearer(auto_error=False, description="API key issued by the LA: cmeh_<id>_<secret>")
UNAUTHORISED = {"WWW-Authenticate": "Bearer"}


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            headers=UNAUTHORISED,
            detail="missing API key: send 'Authorization: Bearer <key>'",
        )
    identity: Identity = request.app.state.hub.identity
    principal = await identity.authenticate(credentials.credentials)
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            headers=UNAUTHORISED,
            detail="API key not recognised (wrong, revoked or disabled)",
        )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def officer(principal: CurrentPrincipal) -> Principal:
    if not principal.is_officer:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="only CME officers may do this")
    return principal


Officer = Annotated[Principal, Depends(officer)]

SchoolUrnPath = Annotated[
    str, Path(pattern=r"^\d{6}$", description="The school's URN.", examples=["100000"])
]


def school(urn: SchoolUrnPath, principal: CurrentPrincipal) -> Principal:
    if not principal.may_act_for_school(urn):
        allowed = ", ".join(principal.schools()) or "none"
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"this API key may post only for its own school (URN {allowed}), not {urn}",
        )
    return principal


School = Annotated[Principal, Depends(school)]
