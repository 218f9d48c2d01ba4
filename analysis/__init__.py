"""News intelligence: multilingual news articles to entities, places and events."""

__version__ = "0.1.0"
