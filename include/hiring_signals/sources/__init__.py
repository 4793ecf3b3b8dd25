"""One module per source: discover, fetch, turn responses into landing records."""
