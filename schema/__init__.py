"""The GraphQL contract: types, inputs, enums, errors, permissions and the context. No I/O here;
resolvers/ does the work."""
