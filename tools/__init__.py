"""Developer tooling kept apart from the runtime package `dialog`: nothing here runs in the app."""
