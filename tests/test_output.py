"""Writing outputs: what a user sees on disk."""

from __future__ import annotations

from pathlib import Path


def test_outputs_are_readable_by_others_like_any_written_file(tmp_path: Path):
    import os
    import stat

    from archkit.output import OutputFile, write_outputs

    write_outputs(tmp_path, [OutputFile.text("a/b.txt", "hi\n")])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "a" / "b.txt").stat().st_mode) == 0o666 & ~umask
