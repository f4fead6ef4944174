"""The instance's mode, read here and nowhere else: public (read-only, serving the published
vintage) or authoring (one analyst: the review page, the working file, live reload).

`SHSTS_MODE` says which; anything but `authoring` is public, so an instance started without
settings (a bare `streamlit run app.py`) can change nothing. `make run` starts authoring on
127.0.0.1 (deploy/authoring.py); `make serve` starts public replicas (deploy/serve.py).
`SHSTS_LOGIN_HEADER` (e.g. `X-Remote-User`) says authoring sits behind a login proxy that
sets that header to the logged-in user: only then is the header trusted, and only then may
authoring listen beyond the loopback address.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

import streamlit as st

from dashboard.catalogue import audit

ENV_MODE = "SHSTS_MODE"
ENV_LOGIN_HEADER = "SHSTS_LOGIN_HEADER"
PUBLIC = "public"
AUTHORING = "authoring"


@dataclass(frozen=True)
class Mode:
    name: str
    login_header: str | None = None

    @property
    def public(self) -> bool:
        return self.name == PUBLIC

    @property
    def authoring(self) -> bool:
        return self.name == AUTHORING


def current() -> Mode:
    """The mode from the environment (read on every run: it is two dictionary lookups)."""
    name = os.environ.get(ENV_MODE, "").strip().lower()
    header = os.environ.get(ENV_LOGIN_HEADER, "").strip() or None
    if name == AUTHORING:
        return Mode(AUTHORING, header)
    return Mode(PUBLIC)


def is_loopback(address: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost; None or "" (every interface) is not."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def refusal(mode: Mode) -> str | None:
    """Why this authoring instance must not serve (the i18n key), or None. Authoring that
    listens beyond the loopback address needs a login in front (SHSTS_LOGIN_HEADER)."""
    if not mode.authoring or mode.login_header:
        return None
    address = st.get_option("server.address")
    return None if is_loopback(address) else "mode.refused_address"


def analyst(mode: Mode) -> audit.Who | None:
    """Who writes from this session: the login header's user behind the login proxy, else the
    operating-system user of a local instance; None when the proxy's header is missing (a
    request that did not come through the login: no write)."""
    if not mode.authoring:
        return None
    if mode.login_header:
        user = (st.context.headers.get(mode.login_header) or "").strip()
        if not user:
            return None
        return audit.Who(user, f"login-header:{mode.login_header}")
    return audit.os_user()
