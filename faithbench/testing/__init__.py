"""Synthetic models with planted behaviour (fake, rationalizer), for tests and for checking metrics."""
