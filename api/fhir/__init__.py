"""The FHIR door (/fhir): a GP system refers with a FHIR R4 ServiceRequest and follows the
referral as a Task; ``routes`` mounts it. See routes.py for the endpoints, resources.py for how
FHIR maps to Kith, outcome.py for how it refuses."""

from .routes import routes

__all__ = ["routes"]
