"""User interfaces: the `shop` CLI and the Chainlit chat app. Nothing imports this package.

This module must not import chainlit (it writes .chainlit/ and .files/ on import).
"""
