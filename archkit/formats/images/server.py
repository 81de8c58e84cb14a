"""Rendering through a PlantUML server (`ARCHKIT_PLANTUML_SERVER=https://plantuml.example/plantuml`).

For machines without Java: a team's own plantuml-server, or `java -jar plantuml.jar --http-server:8080:127.0.0.1`.
Plain HTTP with PlantUML's URL encoding (deflate, then its own base64 alphabet): the `plantuml` PyPI
client adds nothing but an unmaintained `six`/`httplib2` dependency. A server answers a rejected
diagram with an error picture, sometimes with status 200, so the `X-PlantUML-Diagram-Error` headers
decide, not the status.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from archkit.formats.images.jobs import (
    PictureJob,
    PlantUMLUnavailable,
    Progress,
    RenderFailure,
    failure,
    gather,
)

_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_PLANTUML = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_TO_PLANTUML = bytes.maketrans(_STANDARD, _PLANTUML)


def encode(source: bytes) -> str:
    """PlantUML's text encoding: raw deflate, then base64 in PlantUML's alphabet."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(source) + compressor.flush()
    return base64.b64encode(deflated).translate(_TO_PLANTUML).rstrip(b"=").decode("ascii")


class ServerPlantUML:
    """Pictures from a PlantUML server; a few requests in flight at once."""

    def __init__(self, url: str, workers: int = 4, timeout: float = 60.0):
        self.url, self.workers, self.timeout = url.rstrip("/"), workers, timeout
        self.identity = f"server:{self.url}"

    def render_many(self, jobs: Sequence[PictureJob], progress: Progress | None = None) -> dict[PictureJob, bytes]:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return gather(jobs, lambda todo: pool.map(self._fetch, todo), progress)

    def _fetch(self, job: PictureJob) -> bytes | RenderFailure:
        url = f"{self.url}/{job.format}/{encode(job.source)}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                headers, body, status = response.headers, response.read(), response.status
        except urllib.error.HTTPError as exc:
            headers, body, status = exc.headers, exc.read(), exc.code
        except (urllib.error.URLError, OSError) as exc:
            raise PlantUMLUnavailable(f"error: cannot reach the PlantUML server {self.url}: {exc}") from None
        message = headers.get("X-PlantUML-Diagram-Error")
        if message:
            line = headers.get("X-PlantUML-Diagram-Error-Line", "0")
            return failure(job, int(line) if line.isdigit() else 0, message)
        if status != 200 or not body:
            raise PlantUMLUnavailable(f"error: the PlantUML server {self.url} answered HTTP {status} for {job.name}")
        return body
