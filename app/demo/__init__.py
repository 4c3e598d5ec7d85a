"""The Songkhla demo: a PAO, its stations, areas, MOUs and users for `make run` (flask seed-demo)."""
