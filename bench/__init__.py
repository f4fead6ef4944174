"""Benchmark of the catalogue load, page render, browser and concurrent-viewer costs (issue 4).

The pages are measured as an analyst's instance serves them, over a working catalogue file
(authoring mode, dashboard/app/mode.py; AppTest runs set the loopback address themselves);
`serving` runs deploy/serve.py's public replicas over a vintage it publishes first.
"""

import os

os.environ.setdefault("SHSTS_MODE", "authoring")
