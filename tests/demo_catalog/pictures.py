"""Draw the demo catalog's pictures: one small SVG illustration per category.

    python -m tests.demo_catalog.pictures

Reads `pictures.yaml` beside this file (each category's drawing and its family's palette) and
rewrites `catalog/demo/images/<slug>.svg`, the files the chat app serves at `/demo-images/` and
that the demo products' `image_url` values name. Output is deterministic, so a test can check
that the shipped files are exactly what this script draws.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.demo_catalog.generate import picture_name

HERE = Path(__file__).resolve().parent
SPEC = HERE / "pictures.yaml"
OUT_DIR = HERE.parents[1] / "catalog" / "demo" / "images"

TILE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" width="128" height="128" \
role="img" aria-label="{label}">
<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">\
<stop offset="0" stop-color="{bg0}"/><stop offset="1" stop-color="{bg1}"/></linearGradient></defs>
<rect width="128" height="128" fill="url(#bg)"/>
<ellipse cx="64" cy="114" rx="42" ry="6" fill="{dark}" opacity="0.12"/>
<g stroke="{dark}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round">
{art}</g>
</svg>
"""


def load_spec(path: Path = SPEC) -> dict[str, Any]:
    """The drawings and palettes."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def render(category: str, spec: dict[str, Any], families: dict[str, Any]) -> str:
    """One category's SVG: its drawing in its family's colours on a tinted tile."""
    family = families[spec["family"]]
    palette = {k: family[k] for k in ("main", "dark", "light", "accent")}
    palette["main"] = spec.get("main", palette["main"])
    art = spec["art"].format(**palette)
    label = category.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;")
    bg0, bg1 = family["bg"]
    return TILE.format(label=label, bg0=bg0, bg1=bg1, dark=palette["dark"], art=art)


def draw_all(spec: dict[str, Any] | None = None) -> dict[str, str]:
    """File name -> SVG text, for every category in the spec."""
    spec = spec or load_spec()
    return {
        picture_name(category): render(category, item, spec["families"])
        for category, item in spec["categories"].items()
    }


def main() -> None:
    """Rewrite catalog/demo/images/ (stale files removed)."""
    pictures = draw_all()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob("*.svg"):
        if old.name not in pictures:
            old.unlink()
    for name, svg in pictures.items():
        (OUT_DIR / name).write_text(svg, encoding="utf-8")
    size = sum(len(s.encode()) for s in pictures.values())
    print(f"wrote {len(pictures)} pictures to {OUT_DIR} ({size / 1000:.1f} kB)")


if __name__ == "__main__":
    main()
