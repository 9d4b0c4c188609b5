"""Business rules, one package per area. Imports no strawberry, starlette or authlib."""
