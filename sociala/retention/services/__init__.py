"""Every write of the retention app (culling, the person's rights, archive packages)."""
