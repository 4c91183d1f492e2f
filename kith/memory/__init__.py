"""What a request reads from memory instead of the store: copies of the directory and of the
volunteers kept up to date by asking the store what changed (``mirror``), their positions as
arrays (``sphere``, ``nearby``), and the exact short cuts that weigh few candidates and still
answer as weighing them all would: the activity shortlist (``shortlist``) and the buddy score bounds
(``buddy_bounds``). Nothing here decides who may see what: kith/suggestions.py and
kith/service.py ask, these answer fast."""
