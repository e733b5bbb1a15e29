"""The HTTP edge: app factory, routers, request/response schemas, error translation."""
