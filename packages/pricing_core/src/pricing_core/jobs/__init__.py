"""Background jobs: the record, its status rules, the ports and the use cases."""
