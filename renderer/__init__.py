"""Dreamscape: procedural, emotion-driven dream worlds raymarched in GLSL."""

__version__ = "0.1.0"
