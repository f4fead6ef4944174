"""Shanghai S&T-services dashboard: the cited catalogue, its validator and the app's logic."""
