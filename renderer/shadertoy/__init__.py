"""Shadertoy and glslViewer shaders as Dreamscape worlds, and scenes exported as Shadertoy shaders.

- `form`: tell Shadertoy form from glslViewer form (pure; imports only renderer.errors).
- `wrap`: wrap a shader into a GLSL 3.30 program with a source map (pure, no GL).
- `world`: `ShaderWorld`, loaded from a shader file or a multipass manifest (pure, no GL).
- `renderer`: `ShaderRenderer`, the world interface (`render`, `draw` + `.color`, `release`).
- `export`: `export_shadertoy(scene)`, one self-contained Shadertoy Image shader (pure, no GL).
- `command`: CLI helpers (`dreamscape export`, `--channel0..3`, `--mouse`, SCENE -> ShaderWorld).
- `bench`: `record_shader`, a shader world's frame times for `dreamscape bench`.

Nothing is imported here, so importing the package costs nothing and pulls in no GL.
"""

__all__: list[str] = []
