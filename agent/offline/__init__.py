"""The offline conversation engine: understanding (acts, slots), one policy per act, replies.

Its data lives beside it: acts.yaml (labelled utterances), languages.yaml, attributes.yaml,
words.yaml and replies.yaml. A store can add utterances and replies without touching code.
"""

from agent.offline.model import OfflineEngine, make_engine

__all__ = ["OfflineEngine", "make_engine"]
