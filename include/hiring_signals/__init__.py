"""hiring-signals: public labor-market signals turned into ML-hiring facts."""

__version__ = "0.1.0"
