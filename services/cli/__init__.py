"""``productshot``: the command-line client of the Productshot HTTP API (no server code imported)."""
