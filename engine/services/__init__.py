"""Use cases as plain functions `(session, ..., actor)`: they flush, never commit, and audit."""
