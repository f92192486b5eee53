"""Per-frame values that node parameters depend on: animation time, seed and the emotion-driven
multipliers. Kept separate from the emotion mapping itself so the code generator only needs to
know these few numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyrr import Matrix33

__all__ = ["FrameValues", "rotation_matrix", "NEUTRAL_FRAME_VALUES"]


@dataclass(frozen=True)
class FrameValues:
    t: float = 0.0                # scene time in seconds
    anim_time: float = 0.0        # integral of the emotion-driven animation speed up to t
    seed: int = 0
    noise_amplitude: float = 1.0  # multiplier on terrain heights and displacement amplitudes
    feature_scale: float = 1.0    # scale of the whole world about `pivot` (bigger, bolder structure)
    pivot: tuple = (0.0, 0.0, 0.0)  # the camera's target: feature scale keeps it in frame
    channels: tuple = ()          # per-frame values for grow/blend nodes (nexus bleeding); 1 if unset

    def channel(self, index: int) -> float:
        return self.channels[index] if index < len(self.channels) else 1.0
    warp_strength: float = 1.0    # multiplier on domain-warp amplitude
    blend_scale: float = 1.0      # multiplier on smooth-min widths k (soft shapes for low sharpness)
    ridge_bias: float = 0.0       # added to terrain ridge blend (sharp shapes for high sharpness)
    fbm_gain: float = 0.5         # fBm octave gain 2^-H

    @staticmethod
    def from_params(params, t: float, anim_time: float, seed: int, pivot=(0.0, 0.0, 0.0),
                    channels: tuple = ()) -> "FrameValues":
        """Derive from a DreamParams. Sharpness s in [0, 1] maps to k * 2^(2(0.5 - s)) (x2 soft,
        x0.5 sharp) and a ridge bias of s - 0.5, so neutral sharpness 0.5 leaves the scene as
        authored."""
        s = params.sharpness
        return FrameValues(
            t=t, anim_time=anim_time, seed=seed, pivot=tuple(float(x) for x in pivot), channels=tuple(channels),
            noise_amplitude=params.noise_amplitude,
            feature_scale=params.feature_scale,
            warp_strength=params.warp_strength,
            blend_scale=2.0 ** (2.0 * (0.5 - s)),
            ridge_bias=s - 0.5,
            fbm_gain=params.fbm_gain,
        )


NEUTRAL_FRAME_VALUES = FrameValues()


def rotation_matrix(degrees) -> np.ndarray:
    """Rotation by XYZ Euler angles in degrees (applied X, then Y, then Z), as a 3x3 array that
    rotates column vectors."""
    rx, ry, rz = (math.radians(float(a)) for a in degrees)
    # pyrr's rotation matrices, as stored, rotate column vectors counter-clockwise (right-handed).
    mx = np.asarray(Matrix33.from_x_rotation(rx))
    my = np.asarray(Matrix33.from_y_rotation(ry))
    mz = np.asarray(Matrix33.from_z_rotation(rz))
    return mz @ my @ mx
