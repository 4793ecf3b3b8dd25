"""Superset settings for the compose deployment: SQLite metadata on a volume, no DML."""

import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = "sqlite:////app/superset_home/superset.db"
# The warehouse is registered read-only (access_mode=read_only in its URL, volume
# mounted :ro); Jinja in SQL Lab stays off so scraped text is never templated.
FEATURE_FLAGS = {"ENABLE_TEMPLATE_PROCESSING": False}
