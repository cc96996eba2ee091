"""The HTTP API's routers, one per resource; ``api.http.app`` includes them; ``api.app`` adds the pages."""
