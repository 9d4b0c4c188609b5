"""HTTP edge: the GraphQL view, health endpoints, middleware."""
