"""The media benchmark's four inputs, drawn on this machine (no downloads, no fixtures).

Each input is shaped like what a teacher uploads, because that is what the worker's time
and memory depend on: a 12-megapixel phone photo (smooth light with sensor-like noise, so it
compresses like a real one, with camera and GPS EXIF for the pipeline to strip), three
minutes of 128 kbit/s AAC, thirty seconds of 720p H.264 with moving, noisy content (so the
encoder cannot reduce it to almost nothing) and AAC sound, and a twenty-page worksheet PDF
carrying an author. Drawing takes about a minute, so `ensure_inputs` keeps them in a folder
named after VERSION and only draws what is missing; change VERSION when a generator changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import ExifTags, Image, ImageDraw, ImageFont

VERSION = "v1"
PHOTO_SIZE = (4000, 3000)
AUDIO_SECONDS = 180
VIDEO_SIZE = (1280, 720)
VIDEO_SECONDS = 30
VIDEO_FPS = 30
PDF_PAGES = 20
SAMPLE_RATE = 44100
AUDIO_BIT_RATE = 128_000
VIDEO_BIT_RATE = 5_000_000
# Kind (as the sandbox names it) -> file name in the inputs folder.
FILES = {
    "image": "photo-12mp.jpg",
    "audio": "talk-3min.m4a",
    "video": "clip-30s-720p.mp4",
    "document": "worksheet-20p.pdf",
}
Log = Callable[[str], None]
FloatArray = np.ndarray[Any, np.dtype[np.float32]]


def ensure_inputs(folder: Path, log: Log) -> dict[str, Path]:
    """The four inputs in `folder`/inputs-VERSION, drawing those not there yet.

    A file is written under a temporary name and renamed when complete, so an interrupted
    run never leaves a half-written input that a later run would take as cached."""
    target = folder / f"inputs-{VERSION}"
    target.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Callable[[Path], None]] = {
        "image": write_photo,
        "audio": write_audio,
        "video": write_video,
        "document": write_pdf,
    }
    paths = {}
    for kind, name in FILES.items():
        path = target / name
        if not path.exists():
            log(f"  drawing {name}")
            partial = path.with_name(f"partial-{name}")
            makers[kind](partial)
            partial.replace(path)
        paths[kind] = path
    return paths


# --- Photo --------------------------------------------------------------------------------


def _smooth_field(rng: np.random.Generator, size: tuple[int, int], cells: tuple[int, int]) -> Any:
    """Low-frequency colour: a small random grid blown up with bicubic interpolation (sky,
    walls, out-of-focus background), plus a diagonal light gradient."""
    small = rng.uniform(40, 215, size=(cells[1], cells[0], 3)).astype(np.uint8)
    field = np.asarray(
        Image.fromarray(small, "RGB").resize(size, Image.Resampling.BICUBIC), dtype=np.float32
    )
    width, height = size
    light = np.add.outer(np.linspace(-25, 25, height), np.linspace(-15, 15, width))
    return field + light[:, :, None].astype(np.float32)


def photo_exif() -> Image.Exif:
    """What a phone writes: make, model, time taken and where (the pipeline drops it all)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchPhone"
    exif[ExifTags.Base.Model] = "BenchPhone 12"
    exif[ExifTags.Base.DateTime] = "2025:03:14 09:26:53"
    exif[ExifTags.Base.Software] = "BenchPhone OS 17.4"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.4)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.6)
    return exif


def write_photo(path: Path) -> None:
    """4000x3000 JPEG, quality 90 (4:2:0), smooth light, fine texture and mild noise: about
    3 MB, like a phone's photo of a classroom wall."""
    rng = np.random.default_rng(12)
    pixels = _smooth_field(rng, PHOTO_SIZE, (12, 9))
    pixels += _smooth_field(rng, PHOTO_SIZE, (400, 300)) * 0.5 - 64  # texture
    for channel in range(3):  # noise one channel at a time: a third of the memory
        pixels[:, :, channel] += rng.normal(0, 5.0, size=pixels.shape[:2]).astype(np.float32)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    image.save(path, "JPEG", quality=90, exif=photo_exif())


# --- Audio and video ----------------------------------------------------------------------


def _sound(seconds: float, rng: np.random.Generator) -> FloatArray:
    """Stereo float samples (2, n): a slowly gliding tone with harmonics under a noise bed,
    so the AAC encoder has real work (a pure tone would cost it almost nothing)."""
    times = np.arange(int(seconds * SAMPLE_RATE), dtype=np.float64) / SAMPLE_RATE
    pitch = 220 + 40 * np.sin(2 * np.pi * times / 7.0)
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    voice = sum(np.sin(phase * k) / k for k in (1, 2, 3))
    left = 0.25 * voice + rng.normal(0, 0.05, size=times.shape)
    right = 0.22 * np.roll(voice, 300) + rng.normal(0, 0.05, size=times.shape)
    return np.stack([left, right]).astype(np.float32)


def _mux_sound(output: Any, stream: Any, samples: FloatArray) -> None:
    """Encode stereo `samples` into `stream` in frames of 1024, then flush."""
    from av.audio.frame import AudioFrame

    for start in range(0, samples.shape[1], 1024):
        chunk = np.ascontiguousarray(samples[:, start : start + 1024])
        frame = AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = start
        frame.time_base = Fraction(1, SAMPLE_RATE)
        output.mux(stream.encode(frame))
    output.mux(stream.encode(None))


def _aac_stream(output: Any) -> Any:
    stream = output.add_stream("aac", rate=SAMPLE_RATE, layout="stereo")
    stream.bit_rate = AUDIO_BIT_RATE
    return stream


def write_audio(path: Path) -> None:
    """Three minutes of 44.1 kHz stereo AAC at 128 kbit/s in M4A (about 2.9 MB)."""
    import av

    rng = np.random.default_rng(3)
    with av.open(str(path), mode="w", format="ipod") as output:
        _mux_sound(output, _aac_stream(output), _sound(AUDIO_SECONDS, rng))


def _video_frames(rng: np.random.Generator) -> Iterator[Any]:
    """RGB frames (height, width, 3) of a panning, zooming-free scene: a textured backdrop
    that drifts, a bright disc that crosses it, and sensor noise that changes every frame
    (drawn from a bank of 12 noise fields, more than the encoder's reference frames)."""
    width, height = VIDEO_SIZE
    backdrop = _smooth_field(rng, (width + 400, height + 200), (40, 20))
    backdrop += _smooth_field(rng, (width + 400, height + 200), (320, 160)) * 0.3 - 38
    bank = [rng.normal(0, 4.0, size=(height, width, 3)).astype(np.float32) for _ in range(12)]
    rows, columns = np.ogrid[:height, :width]
    for index in range(VIDEO_SECONDS * VIDEO_FPS):
        t = index / VIDEO_FPS
        x0 = int(200 + 190 * np.sin(t / 3.0))
        y0 = int(100 + 90 * np.sin(t / 4.0))
        frame = backdrop[y0 : y0 + height, x0 : x0 + width] + bank[index % len(bank)]
        cx, cy = (t * 97) % (width + 200) - 100, height / 2 + 200 * np.sin(t)
        disc = (columns - cx) ** 2 + (rows - cy) ** 2 < 90**2
        frame[disc] = (250, 210, 60)
        yield np.clip(frame, 0, 255).astype(np.uint8)


def write_video(path: Path) -> None:
    """30 s of 1280x720 at 30 fps, H.264 at a phone's 5 Mbit/s (libx264, preset veryfast, a
    keyframe every two seconds) with 128 kbit/s AAC stereo, `+faststart` MP4 (about 19 MB)."""
    import av

    rng = np.random.default_rng(30)
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as output:
        video = output.add_stream(
            "libx264", rate=VIDEO_FPS, options={"preset": "veryfast", "g": "60"}
        )
        video.width, video.height, video.pix_fmt = *VIDEO_SIZE, "yuv420p"
        video.bit_rate = VIDEO_BIT_RATE
        audio = _aac_stream(output)
        for pixels in _video_frames(rng):
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            output.mux(video.encode(frame))
        output.mux(video.encode(None))
        _mux_sound(output, audio, _sound(VIDEO_SECONDS, rng))


# --- Document -----------------------------------------------------------------------------


def _page(number: int, rng: np.random.Generator) -> Image.Image:
    """A worksheet page at 150 dpi (US Letter): a title, numbered questions with ruled
    answer lines, and a small bar chart on every third page."""
    page = Image.new("RGB", (1275, 1650), "white")
    draw = ImageDraw.Draw(page)
    title = ImageFont.load_default(size=44)
    body = ImageFont.load_default(size=26)
    draw.text((90, 80), f"Fractions practice, page {number + 1}", fill=(20, 20, 60), font=title)
    draw.line((90, 150, 1185, 150), fill=(20, 20, 60), width=3)
    y = 200
    for question in range(6):
        a, b = (int(v) for v in rng.integers(1, 12, size=2))
        text = f"{question + 1}. What is {a}/{b + 1} of {a * (b + 1)} apples? Show your working."
        draw.text((90, y), text, fill=(0, 0, 0), font=body)
        for line in range(3):
            draw.line((120, y + 70 + line * 45, 1185, y + 70 + line * 45), fill=(170, 170, 170))
        y += 230
    if number % 3 == 0:
        for bar in range(5):
            top = 1560 - int(rng.integers(40, 160))
            draw.rectangle((850 + bar * 60, top, 890 + bar * 60, 1560), fill=(40, 110, 180))
    return page


def write_pdf(path: Path) -> None:
    """20 pages drawn with Pillow, saved as a PDF, then given an /Author and /Title with
    pypdf (the pipeline must strip them)."""
    from pypdf import PdfReader, PdfWriter

    rng = np.random.default_rng(20)
    pages = [_page(number, rng) for number in range(PDF_PAGES)]
    drawn = path.with_name(f"drawn-{path.name}")
    pages[0].save(drawn, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    writer = PdfWriter(clone_from=PdfReader(drawn))
    writer.add_metadata({"/Author": "A. Teacher", "/Title": "Fractions practice"})
    with path.open("wb") as handle:
        writer.write(handle)
    drawn.unlink()
