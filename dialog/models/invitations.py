"""Models of the invitations feature (outbox, answer links). Owned by dialog/invitations."""
