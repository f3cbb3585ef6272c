"""SQLAlchemy 2.0 models: the single source of truth for products, variants, prices and stock."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for the catalog tables."""


class Product(Base):
    """A product as the shopper sees it; prices and stock live on its variants."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str | None] = mapped_column(String(200), nullable=True)
    brand_norm: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    category: Mapped[str] = mapped_column(String(200))
    category_norm: Mapped[str] = mapped_column(String(200), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    image_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    source: Mapped[str] = mapped_column(String(50), default="jsonl")
    # Hash of everything ingested for this product: re-ingesting an identical row is a no-op.
    content_hash: Mapped[str] = mapped_column(String(64))
    # Hash of the text that was embedded: the vector is reused while this stays the same.
    doc_hash: Mapped[str] = mapped_column(String(64))
    # Denormalised from variants on every write, for sorting and cheap display.
    price_min: Mapped[float] = mapped_column(Float, index=True)
    price_max: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    in_stock: Mapped[bool] = mapped_column(default=False, index=True)

    variants: Mapped[list[Variant]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="Variant.position",
        lazy="selectin",
    )


class Variant(Base):
    """One buyable version of a product (a size/colour/...), with its own price and stock."""

    __tablename__ = "variants"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    options: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    currency: Mapped[str] = mapped_column(String(3))
    # None means the source only says "available" without a count.
    stock: Mapped[int | None] = mapped_column(Integer, nullable=True)
    available: Mapped[bool] = mapped_column(default=True)

    product: Mapped[Product] = relationship(back_populates="variants")
    # Written at ingest for SQL filters; never needed on loaded variants (variant_fits reads
    # `options`), so not loaded with them.
    option_rows: Mapped[list[VariantOption]] = relationship(
        cascade="all, delete-orphan", lazy="select"
    )

    __table_args__ = (Index("ix_variants_product_price", "product_id", "price"),)

    @property
    def in_stock(self) -> bool:
        """Buyable now: flagged available and not counted at zero."""
        return bool(self.available) and (self.stock is None or self.stock > 0)


class VariantOption(Base):
    """A variant's option as a row (name, normalised value), so filters are portable SQL."""

    __tablename__ = "variant_options"

    variant_id: Mapped[str] = mapped_column(
        ForeignKey("variants.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    value_norm: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_variant_options_name_value", "name", "value_norm"),)


class EmbeddingCacheRow(Base):
    """A cached embedding keyed by (model, text hash): unchanged text is never re-encoded."""

    __tablename__ = "embedding_cache"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column()


class CatalogMeta(Base):
    """Key/value facts about the catalog, among them its version (bumped on every ingest)."""

    __tablename__ = "catalog_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


class StoreDocument(Base):
    """A document of the store's own, kept with its catalog (the policy: returns, shipping...)."""

    __tablename__ = "store_documents"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
