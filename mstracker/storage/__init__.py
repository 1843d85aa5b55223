"""SQLAlchemy storage: the only package that imports sqlalchemy or alembic."""
