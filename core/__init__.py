"""The small library every app may use: it imports no app of the helpdesk (lint-imports)."""
