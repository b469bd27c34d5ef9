"""Pages of the access app under /access/."""
