"""Signing in with email and password: throttling, equal answers, rehashing, audit."""
