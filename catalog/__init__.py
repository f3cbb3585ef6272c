"""The catalog: SQL models, ingestion, the Chroma index, embeddings and hybrid search.

Nothing here reads the environment: callers pass paths, URLs and objects explicitly.
"""
