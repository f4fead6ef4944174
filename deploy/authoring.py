"""`make run`: one authoring instance for one analyst, on 127.0.0.1 unless a login is in front.

Authoring (dashboard/app/mode.py) has the review page, which writes the catalogue, and
serves the working file with live reload. It therefore listens on the loopback address: an
office laptop's dashboard is not open to the office network. `--address` beyond loopback is
refused unless `--login-header` names the header a login proxy in front of it sets to the
logged-in user (nginx auth_basic: `X-Remote-User`; README, "Two modes"), and every write is
then logged under that user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from deploy.serve import AUTHORING, ENV_LOGIN_HEADER, ENV_MODE, loopback

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADDRESS = "127.0.0.1"


class Refused(Exception):
    """The settings would expose authoring without a login; nothing was started."""


def command(port: int, address: str = DEFAULT_ADDRESS, python: str = sys.executable) -> list[str]:
    """The `streamlit run` command line of an authoring instance."""
    return [
        python, "-m", "streamlit", "run", "app.py",
        "--server.address", address,
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        # An analyst sees what went wrong (public instances hide it).
        "--client.showErrorDetails", "full",
    ]  # fmt: skip


def environment(base: Mapping[str, str], login_header: str | None) -> dict[str, str]:
    env = dict(base)
    env[ENV_MODE] = AUTHORING
    env.pop(ENV_LOGIN_HEADER, None)
    if login_header:
        env[ENV_LOGIN_HEADER] = login_header
    return env


def check(address: str, login_header: str | None) -> None:
    """Refuse an address beyond loopback without a login in front."""
    if not loopback(address) and not login_header:
        raise Refused(
            f"authoring refuses to listen on {address!r}: the review page writes the catalogue, "
            "so beyond 127.0.0.1 it needs a login in front of it. Put nginx with auth_basic "
            "(or an SSO proxy) in front and pass --login-header X-Remote-User (README, "
            "'Two modes'), or leave --address at 127.0.0.1."
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.authoring", description=__doc__)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument(
        "--address",
        default=DEFAULT_ADDRESS,
        help="where to listen (default 127.0.0.1; anything else needs --login-header)",
    )
    parser.add_argument(
        "--login-header",
        metavar="HEADER",
        help="the header a login proxy in front sets to the logged-in user (e.g. X-Remote-User)",
    )
    args = parser.parse_args(argv)
    try:
        check(args.address, args.login_header)
    except Refused as exc:
        print(exc, file=sys.stderr)
        return 2
    argv_run = command(args.port, args.address)
    os.chdir(ROOT)
    # Replaced, not a child: Ctrl-C and a service manager's signals reach Streamlit itself.
    os.execve(sys.executable, argv_run, environment(os.environ, args.login_header))
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
