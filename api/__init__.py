"""The doors onto Kith's service: GraphQL over Starlette, and the command line."""
