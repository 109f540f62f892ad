"""Gear shared by every test directory: the fake clock, worlds built by `build_container`,
and Redis helpers. The fixtures themselves are in tests/conftest.py.

Adapters are imported inside functions, so that the core's own tests run with the core alone.
"""
