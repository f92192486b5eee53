"""Record what the window shows to an mp4 with the offline encoder (`encode_mp4`).

A thread runs `encode_mp4` over a queue of frames. The encoding itself happens in the ffmpeg
subprocess that imageio-ffmpeg drives, so the thread mostly waits on a pipe and the window keeps
drawing. One video frame per displayed frame at the target frame rate: the video is a record of
the frames, not of wall-clock time (DESIGN.md: avoid wall-clock capture), so it plays at real
speed when the explorer held its target. The file is written under a temporary name and renamed
when recording stops; stopping with no frame deletes it.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np

from renderer.output.atomic import atomic_path

__all__ = ["Recorder", "even_size"]

_STOP = object()


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """yuv420p needs even sides: drop the last row / column if odd (at least 2x2)."""
    return max(2, size[0] - size[0] % 2), max(2, size[1] - size[1] % 2)


class Recorder:
    def __init__(self, path: Path, size: tuple[int, int], fps: float, crf: int = 20, max_queue: int = 8):
        self.path = Path(path)
        self.size = even_size(size)
        self.fps = fps
        self.crf = crf
        self.frames = 0
        self.dropped = 0
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        self._atomic = atomic_path(self.path)
        self._tmp = self._atomic.__enter__()
        self._thread = threading.Thread(target=self._run, name="dreamscape-record", daemon=True)
        self._thread.start()

    def _frames(self):
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            yield item

    def _run(self) -> None:
        from renderer.output.encode import encode_mp4

        try:
            encode_mp4(self._tmp, self._frames(), self.size, self.fps, self.crf, gop=max(1, round(self.fps * 2)))
        except BaseException as exc:  # reported by stop(); never kill the window
            self.error = exc
            while self._queue.get() is not _STOP:  # drain so add() never blocks forever
                pass

    def add(self, image: np.ndarray) -> None:
        """An (H, W, 3) uint8 frame, top row first; cropped to the recording's even size."""
        w, h = self.size
        frame = np.ascontiguousarray(image[:h, :w])
        if frame.shape[:2] != (h, w):     # the window shrank: pad with black
            padded = np.zeros((h, w, 3), dtype=np.uint8)
            padded[:frame.shape[0], :frame.shape[1]] = frame
            frame = padded
        try:
            self._queue.put(frame, timeout=1.0)
            self.frames += 1
        except queue.Full:
            self.dropped += 1

    def stop(self) -> Path | None:
        """Finish the file; returns its path, or None when nothing was recorded."""
        self._queue.put(_STOP)
        self._thread.join()
        if self.error is not None or self.frames == 0:
            self._atomic.__exit__(RuntimeError, RuntimeError("recording failed"), None)
            if self.error is not None:
                raise RuntimeError(f"recording {self.path} failed: {self.error}") from self.error
            return None
        self._atomic.__exit__(None, None, None)
        return self.path
