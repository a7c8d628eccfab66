"""What more than one format needs."""
