"""The internal admin console: searching organizations, seeing one in full, suspending and
reactivating them."""
