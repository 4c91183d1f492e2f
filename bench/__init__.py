"""The county-scale benchmark (``make bench``): a generated Derbyshire world, loaded into a fresh
embedded store, served by the real app over HTTP, measured against exact baselines."""
