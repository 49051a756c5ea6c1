"""`folio serve`: build, serve, watch, rebuild, and tell every open page to refresh."""
