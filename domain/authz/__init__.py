"""Who may do what, where: one policy for every resolver (PRODUCT.md §2)."""
