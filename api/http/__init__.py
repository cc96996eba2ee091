"""The HTTP API (FastAPI): thin routers over the service layer, roles, RFC 9457 problems."""
