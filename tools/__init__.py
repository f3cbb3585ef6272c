"""The assistant's tools: typed functions over the catalog, bound to a Catalog by `make_tools`."""

from tools.toolkit import TERMINAL_TOOLS, make_tools

__all__ = ["TERMINAL_TOOLS", "make_tools"]
