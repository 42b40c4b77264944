"""The JSON API (django-ninja), one module per domain; see ``jembatan.api.urls``."""
