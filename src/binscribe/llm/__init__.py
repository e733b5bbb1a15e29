"""LLM provider support: the type registry, endpoint rules and one adapter per provider type.

Nothing here knows about binaries or the database; callers hand adapters plain configuration.
"""
