"""Frame-time benchmarks: recording (recorder), metrics, reports and plots, and the `bench` command.

Submodules are imported explicitly (`renderer.bench.metrics`, ...); nothing is registered on import.
"""

__all__: list[str] = []
