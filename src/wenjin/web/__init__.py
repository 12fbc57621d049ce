"""The web application: public pages (``opac/``), later the staff client and ``/api/v1``."""
