"""Kith's core: the settings, domain objects, errors and service functions shared by every door."""
