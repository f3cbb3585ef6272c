"""The shopping agent: settings, chat models, state, prompts and the LangGraph tool loop."""
