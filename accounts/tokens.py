"""Secret links sent by e-mail (invitations, following a registration). Only a hash is stored,
so a copy of the database does not hand out working links."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh token for the e-mail and the digest to store."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
