"""Home: the page each role lands on, the language switch and the health check; above every domain package."""
