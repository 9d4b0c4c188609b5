"""Each area's root Query/Mutation fields (``<area>.py``): arguments -> one domain call -> schema
types; every mutation through ``_payload.mutate``."""
