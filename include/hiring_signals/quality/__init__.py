"""Great Expectations checks that gate publishing."""
