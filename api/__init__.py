"""The composition root: the GraphQL schema assembled from every area (``api/root.py``).

It sits above ``resolvers`` (each area's root fields) and ``schema`` (types, inputs, payloads)
and below ``web`` (the endpoint that runs it) and ``server`` (which builds it at start).
"""
