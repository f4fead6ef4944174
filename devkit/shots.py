"""Screenshots of dashboard views as users see them: `python -m devkit.shots OUT VIEW…`.

Each VIEW is `name=path?query`; every view is taken on a phone (390x844, a mobile browser
at device scale 3), at 1280x720 and 1440x900 (and 1920x1080 with --wide) in Chromium, after
the page has finished running. For looking, not testing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from devkit.local_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop

SIZES = {"phone": (390, 844), "720p": (1280, 720), "900p": (1440, 900), "1080p": (1920, 1080)}
# A phone is a mobile browser (touch, no hover, its own viewport rules) at device scale 3.
PHONE = {"is_mobile": True, "has_touch": True, "device_scale_factor": 3}


def settle(page: object) -> None:
    """Wait until the script has run and nothing on the page is still a placeholder."""
    page.wait_for_selector('[data-testid="stApp"]')  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
            const main = document.querySelector('[data-testid="stMain"]');
            return idle && !document.querySelector('[data-testid="stSkeleton"]')
                && main && main.innerText.trim().length > 20;
        }""",
        timeout=60000,
    )
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("views", nargs="+", help="name=path?query, e.g. ste=trends?indicator=x")
    parser.add_argument("--wide", action="store_true", help="also 1920x1080")
    parser.add_argument("--full", action="store_true", help="the whole page, not the window")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = dict(SIZES) if args.wide else {k: v for k, v in SIZES.items() if k != "1080p"}
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"shots-{port}.log"
    # Authoring mode shows the working catalogue, the one being changed (a public instance
    # shows only a published vintage: dashboard/app/mode.py).
    env = {**os.environ, "SHSTS_MODE": "authoring"}
    server = start_streamlit("app.py", port, log, env=env)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for size_name, (width, height) in sizes.items():
                mobile = PHONE if size_name == "phone" else {}
                page = browser.new_page(viewport={"width": width, "height": height}, **mobile)
                for view in args.views:
                    name, _, path = view.partition("=")
                    page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="domcontentloaded")
                    settle(page)
                    target = args.out / f"{name}-{size_name}.png"
                    page.screenshot(path=str(target), full_page=args.full)
                    print(target)
                page.close()
            browser.close()
    finally:
        stop(server)


if __name__ == "__main__":
    main()
