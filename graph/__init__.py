"""The graph store: the only package that speaks Cypher."""
