"""总分馆制: the tree of service points, their calendars and courier routes."""
