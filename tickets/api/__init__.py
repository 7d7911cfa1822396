"""The tickets API under /api/v1/t/<slug>/: tickets and queues, and the tickets' files."""
