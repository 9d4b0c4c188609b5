"""Mail: message builders and templates, the transactional outbox, its worker and senders."""
