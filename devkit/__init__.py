"""Development helpers shared by the tests and the benchmark (never imported by the app)."""
