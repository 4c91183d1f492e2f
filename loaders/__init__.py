"""Outside data (taxonomy file, demo world, open data) turned into domain records."""
