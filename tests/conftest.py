"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Test helpers (glsl_probe, reference_glsl) live next to the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def gl_ctx():
    """One headless moderngl context (EGL; Mesa llvmpipe on CI) shared by the whole session."""
    from renderer.gl.context import create_headless_context

    ctx = create_headless_context()
    yield ctx
    ctx.release()
