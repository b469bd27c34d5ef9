"""Models of the access app."""
