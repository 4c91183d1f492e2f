"""GraphQL types, one module per domain area, wrapping the domain dataclasses."""
