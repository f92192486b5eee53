"""The dynamic-resolution controller against synthetic frame costs (no GL, no clock)."""

import random

import pytest

from renderer.app.dynamic_resolution import ResolutionController, Rung, build_ladder

TARGET = 1 / 30


def cost_model(full_ms: float, overhead_ms: float = 2.0, shading=(1.0, 0.55, 0.45)):
    """Work seconds for a rung: overhead + full-resolution cost x scale^2 x shading factor."""
    def cost(rung: Rung) -> float:
        return (overhead_ms + full_ms * rung.scale ** 2 * shading[rung.quality]) / 1000.0
    return cost


def run(controller, cost, frames, noise=0.0, seed=1):
    rng = random.Random(seed)
    history = []
    for _ in range(frames):
        rung = controller.rung
        history.append(rung)
        controller.update(cost(rung) * (1.0 + noise * rng.uniform(-1, 1)))
    return history


def test_ladder_is_quantised_and_ordered_by_cost():
    ladder = build_ladder(0.35, 1.0)
    assert ladder[0] == Rung(0.35, 2) and ladder[1] == Rung(0.35, 1) and ladder[-1] == Rung(1.0, 0)
    scales = [r.scale for r in ladder if r.quality == 0]
    assert scales == sorted(set(scales)) and 12 <= len(scales) <= 24
    assert all(abs(s * 100 - round(s * 100)) < 1e-9 for s in scales), "whole percents"
    assert all(b / a < 1.1 for a, b in zip(scales, scales[1:])), "cost steps of 12-19%"
    assert build_ladder(0.5, 0.5, reduced_shading=False) == (Rung(0.5, 0),)
    low = [r.scale for r in build_ladder(0.1, 1.0) if r.quality == 0]
    assert low[0] == 0.1 and low[-1] == 1.0 and all(b > a for a, b in zip(low, low[1:]))


@pytest.mark.parametrize("full_ms", [20.0, 60.0, 150.0, 250.0])
def test_converges_to_a_rung_that_holds_the_target(full_ms):
    controller = ResolutionController(TARGET)
    cost = cost_model(full_ms)
    history = run(controller, cost, 300, noise=0.05)
    settled = history[100:]
    assert all(cost(r) <= TARGET * 1.05 for r in settled)
    if cost(Rung(1.0, 0)) > TARGET:
        # it does not give away more than needed: one rung up would not fit
        rung = settled[-1]
        above = controller.ladder[controller.ladder.index(rung) + 1]
        assert cost(above) > TARGET * 0.75


def test_hysteresis_few_changes_under_noise():
    controller = ResolutionController(TARGET)
    run(controller, cost_model(120.0), 600, noise=0.15)
    assert controller.changes < 25


def test_a_light_scene_stays_at_full_scale():
    controller = ResolutionController(TARGET, start=0)
    history = run(controller, cost_model(10.0), 200)
    assert history[-1] == Rung(1.0, 0)


def test_a_scene_too_heavy_ends_at_the_bottom_rung():
    controller = ResolutionController(TARGET)
    history = run(controller, cost_model(2000.0), 100)
    assert history[-1] == controller.ladder[0]


def test_reduced_shading_factor_is_learned():
    controller = ResolutionController(TARGET)
    run(controller, cost_model(240.0, shading=(1.0, 0.3, 0.25)), 300)
    assert controller.quality_factor[1] < 0.45


def test_disabled_renders_full_scale():
    controller = ResolutionController(TARGET, start=3)
    controller.set_enabled(False)
    assert controller.rung == Rung(1.0, 0)
    assert controller.update(1.0) == Rung(1.0, 0)


def test_sizes_are_reused_not_reallocated():
    controller = ResolutionController(TARGET)
    history = run(controller, cost_model(120.0), 600, noise=0.3)
    sizes = {r.size((960, 540)) for r in history}
    assert len(sizes) <= len(controller.ladder)
