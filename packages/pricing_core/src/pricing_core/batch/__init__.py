"""Batch pricing: a table of jobs priced row by row, each exactly as a single quote is."""
