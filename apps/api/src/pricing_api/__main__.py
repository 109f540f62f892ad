"""`python -m pricing_api` runs the `pricing` command line."""

from pricing_api.cli import main

main()
