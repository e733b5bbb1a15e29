"""binscribe: explain compiled programs with angr and your own LLM providers."""

__version__ = "0.1.0"
