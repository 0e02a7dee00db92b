"""Pages of the citizens' portal (under /portal/) and the caseworker's message page."""
