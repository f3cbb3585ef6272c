"""How category, brand and option values are normalised, so "Tees", "t-shirt" and "T-Shirts" meet.

The same functions run at ingest (to fill the *_norm columns) and at query time, so a value is
always compared with a value that went through the same steps.
"""

from __future__ import annotations

import re
import unicodedata

# Shoppers' words for things stores name differently. Keys and values are already normalised.
# Word synonyms apply to each word; phrase synonyms only to a whole value.
WORD_SYNONYMS: dict[str, str] = {
    "tee": "tshirt",
    "t": "tshirt",
    "teeshirt": "tshirt",
    "sneaker": "sneaker",
    "trainer": "sneaker",
    "cellphone": "smartphone",
    "mobilephone": "smartphone",
    "phone": "smartphone",
    "earphone": "earbud",
    "sofa": "couch",
    "grey": "gray",
    "colour": "color",
    "hoody": "hoodie",
    "sweatshirt": "hoodie",
}
PHRASE_SYNONYMS: dict[str, str] = {
    "pan": "frying pan",
    "skillet": "frying pan",
    "notebook computer": "laptop",
    "cell phone": "smartphone",
    "mobile phone": "smartphone",
}

_IRREGULAR_SINGULAR = {
    "shoes": "shoe",
    "knives": "knife",
    "glasses": "glasses",
    "sunglasses": "sunglasses",
    "jeans": "jeans",
    "pants": "pants",
    "shorts": "shorts",
    "leggings": "leggings",
    "accessories": "accessory",
    "batteries": "battery",
    "watches": "watch",
    "dresses": "dress",
    "boxes": "box",
    "series": "series",
    "clothes": "clothes",
    "supplies": "supply",
}


def _singular(word: str) -> str:
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold(text: str) -> str:
    """Lower-case, strip accents, and keep letters, digits and single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9.]+", " ", text).strip()


def normalize_value(text: str) -> str:
    """Normalise a category, brand or option value to its comparison key.

    Hyphens and spaces inside a word vanish ("T-Shirts" → "tshirt"), words are singularised,
    and a few shopper synonyms map to the store's word ("tees" → "tshirt").
    """
    folded = fold(text)
    if not folded:
        return ""
    # "t shirt" and "tshirt" must meet: join one-letter prefixes to the next word.
    folded = re.sub(r"\b([a-z]) (?=[a-z])", r"\1", folded)
    words = [_singular(w) for w in folded.split()]
    key = " ".join(WORD_SYNONYMS.get(w, w) for w in words)
    return PHRASE_SYNONYMS.get(key, key)


def normalize_option_name(name: str) -> str:
    """Option names compare without case or spelling variants ("Colour" → "color")."""
    key = fold(name).replace(" ", "_")
    return WORD_SYNONYMS.get(key, key)
