"""Thin glue: arguments -> one domain call -> schema type."""
