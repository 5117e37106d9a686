"""Answers about the record as a whole: statistics, the Goldstein picture, threads, dossiers, as-of.

Each module is pure (values in, values out) and is imported only by the command that uses it.
"""
