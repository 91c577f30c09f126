"""Models of the documents feature (replaceable Word templates). Owned by dialog/documents."""
