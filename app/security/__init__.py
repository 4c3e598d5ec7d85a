"""Security leaves: server-side sessions, safe redirects, input guards, disclosure rules (no domain imports)."""
