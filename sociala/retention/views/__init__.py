"""Staff pages of the retention app: culling (system administrator), objections, extracts, archive packages."""
