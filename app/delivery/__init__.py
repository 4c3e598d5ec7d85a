"""Delivery: the transactional outbox and its channels."""
