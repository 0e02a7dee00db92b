"""Word lists for the demo city: names, places and the texts of cases and journals (all invented)."""
