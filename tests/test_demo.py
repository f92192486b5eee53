"""`make demo`'s story video: Mia's nightmare, the glitch tearing it open into her friends'
worlds (the nexus at the height of its story), then Leo's, Sam's and Elena's worlds."""

import numpy as np

from renderer.compile.nexus_frame import nexus_frame
from renderer.output.demo import STORY, story_job
from renderer.output.flash_check import check_file
from renderer.output.video import render_job
from renderer.scene.nexus import Nexus


def test_the_story_passes_through_the_nexus_with_both_portals_open(tmp_path):
    job = story_job(tmp_path / "dream.mp4", (64, 36))
    assert [shot.source for shot in job.shots] == [f"scenes/{name}.toml" for name, _, _ in STORY]
    assert job.frames == round(sum(seconds for _, _, seconds in STORY) * job.fps)
    (nexus_shot,) = [shot for shot in job.shots if isinstance(shot.world, Nexus)]
    for t in np.linspace(nexus_shot.offset, nexus_shot.offset + nexus_shot.duration, 7):
        state = nexus_frame(nexus_shot.world, float(t))
        assert min(state.openness) > 0.5, (t, state.openness)
        assert max(state.effects.values()) > 0.5, (t, state.effects)


def test_the_story_video_renders_and_stays_within_three_flashes(tmp_path):
    job = story_job(tmp_path / "dream.mp4", (48, 28))   # 48-frame segments: shots span joins
    summary = render_job(job, quiet=True)
    assert summary.frames == job.frames
    report = check_file(summary.path)
    assert report.frames == job.frames
    assert report.passed, report.describe()
