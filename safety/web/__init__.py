"""Pages and request handling: middleware, the viewer time zone, widgets, admin base and health probes."""
