"""Audio and video: proven by FFmpeg (through PyAV), then remuxed into a new container.

Why remux and not transcode: copying the compressed packets into a container we write
ourselves keeps the picture and sound untouched and costs a fraction of a re-encode, and it
still leaves every piece of metadata behind: container tags (title, `creation_time`, the
`location` and `com.apple.quicktime.location.ISO6709` of phone videos), stream tags
(handler names, languages), chapters, ID3 tags and cover art, and every stream that is not
the first picture or the first sound (subtitles, timed metadata and data streams, which is
where phones put GPS tracks, and attachments). The new container is written with
`+bitexact`, so the few muxers that insist on an encoder tag write a bare "Lavf" without a
version. What is copied is only each stream's codec parameters (SPS/PPS,
AudioSpecificConfig, OpusHead: no tags) and its display matrix, so a portrait phone video
stays upright. (Bytes inside the compressed packets, such as an encoder's own banner in
the bitstream, travel as they are: that is what a remux means.)

Why allow-lists: FFmpeg can parse hundreds of formats, some of which fetch other files
(HLS and DASH playlists, `concat` lists, image sequences). Only the demuxers named in
CONTAINER_FORMATS are allowed to read an upload (FFmpeg's `format_whitelist` refuses the
rest before their parser runs), the only protocol is `file`, and only the codecs in
VIDEO_CODECS and AUDIO_CODECS are decoded, by us or by FFmpeg while it probes the streams
(`codec_whitelist`).

Decisions:
- Video goes into MP4 (H.264, HEVC, AV1; `+faststart`, so playback starts before the whole
  file arrived) or WebM (VP8, VP9). Its first audio stream is copied when the codec fits that
  container (AAC, MP3 or Opus in MP4; Opus in WebM) and otherwise re-encoded (AAC for MP4,
  Opus for WebM) when it is one of AUDIO_CODECS; audio outside that list is dropped rather
  than decoded. Vorbis is re-encoded too: its comment header (title, artist, ...) lives in
  the codec parameters a copy would carry over.
- Audio goes into MP3 (no ID3 tags), M4A (AAC, from MP4 or raw ADTS), Ogg (Opus, Vorbis:
  the Ogg muxer writes a fresh, empty comment header) or FLAC (STREAMINFO only). PCM (WAV)
  is re-encoded to AAC in M4A: a WAV is ten times the size for no audible gain in a post.
- A file whose only pictures are cover art is audio, whatever the upload looked like.
- The duration limit is checked against the header and again against the packet times
  while remuxing, so a header that lies cannot smuggle a longer file through.
- Decoders run with one thread: the sandbox caps the address space, and each decoder thread
  reserves its own stack and frame buffers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.packet import Packet
from av.stream import Disposition, Stream
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

from staffroom.media.processing.previews import dimensions, write_preview
from staffroom.media.processing.sniff import sniff
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    OutputFile,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)

# FFmpeg demuxer names (as `container.format.name` spells them); "aac" is raw ADTS, which
# `sniff` accepts as audio/aac.
CONTAINER_FORMATS = frozenset(
    {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "ogg", "mp3", "flac", "wav", "aac"}
)
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1"})
PCM_CODECS = frozenset(
    {
        "pcm_s16le",
        "pcm_s16be",
        "pcm_s24le",
        "pcm_s24be",
        "pcm_s32le",
        "pcm_s32be",
        "pcm_f32le",
        "pcm_f32be",
        "pcm_f64le",
        "pcm_f64be",
        "pcm_u8",
        "pcm_s8",
        "pcm_alaw",
        "pcm_mulaw",
    }
)
AUDIO_CODECS = frozenset({"aac", "mp3", "opus", "vorbis", "flac"}) | PCM_CODECS
# The decoders FFmpeg may open while probing: the names of the allowed codecs' decoders.
_DECODERS = frozenset({"libdav1d", "mp3float", "libopus"}) | VIDEO_CODECS | AUDIO_CODECS
_INPUT_OPTIONS = {
    "protocol_whitelist": "file",
    "format_whitelist": ",".join(sorted(CONTAINER_FORMATS)),
    "codec_whitelist": ",".join(sorted(_DECODERS)),
}
# No encoder or muxer version tags in what we write.
_BITEXACT = {"fflags": "+bitexact"}
_BITEXACT_CODEC = {"flags": "+bitexact"}
# Containers whose header states the duration exactly (an index, a sample count).
_EXACT_DURATION_FORMATS = frozenset({"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "flac", "wav"})
WAVEFORM_POINTS = 64
# A poster frame this far in skips fade-ins and black first frames (or half a shorter clip).
POSTER_SECONDS = 1.0
# Packets may end a little past the stated duration (rounding, audio priming).
_DURATION_SLACK_SECONDS = 0.5


@dataclass(frozen=True)
class _Target:
    """A container we write: FFmpeg muxer name, file extension, content type, options, the
    audio codecs it takes as they are, and the encoder for any other allowed audio."""

    muxer: str
    extension: str
    content_type: str
    options: dict[str, str]
    audio_copy: frozenset[str]
    audio_encoder: Literal["aac", "libopus"]


_FASTSTART = {"movflags": "+faststart"}
_MP4 = _Target("mp4", "mp4", "video/mp4", _FASTSTART, frozenset({"aac", "mp3", "opus"}), "aac")
_WEBM = _Target("webm", "webm", "video/webm", {}, frozenset({"opus"}), "libopus")
_M4A = _Target("ipod", "m4a", "audio/mp4", _FASTSTART, frozenset({"aac"}), "aac")
_MP3 = _Target(
    "mp3",
    "mp3",
    "audio/mpeg",
    {"id3v2_version": "0", "write_id3v1": "0"},
    frozenset({"mp3"}),
    "aac",
)
_OGG = _Target("ogg", "ogg", "audio/ogg", {}, frozenset({"opus", "vorbis"}), "libopus")
_FLAC = _Target("flac", "flac", "audio/flac", {}, frozenset({"flac"}), "aac")
_VIDEO_TARGETS = {"h264": _MP4, "hevc": _MP4, "av1": _MP4, "vp8": _WEBM, "vp9": _WEBM}
_AUDIO_TARGETS = {"aac": _M4A, "mp3": _MP3, "opus": _OGG, "vorbis": _OGG, "flac": _FLAC}
_AAC_RATES = frozenset({8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000})


def process_av(
    kind: MediaKind, source: Path, out_dir: Path, limits: ProcessingLimits
) -> ProcessedMedia:
    """Remux `source` into `file.<ext>` in `out_dir` (plus `preview.jpg` for a video).

    `kind` is the sniffed guess; the streams decide: a picture stream (not cover art) makes
    a video, sound alone makes audio. Raises MediaRejected: NOT_SUPPORTED (a container,
    codec or playlist outside the allow-lists, or neither picture nor sound), TOO_LONG,
    DAMAGED (truncated or corrupt).
    """
    del kind  # the streams decide
    container = _open(source)
    try:
        videos = [
            stream
            for stream in container.streams.video
            if not stream.disposition & Disposition.attached_pic
        ]
        audios = list(container.streams.audio)
        if videos:
            return _process_video(container, videos[0], audios[:1], out_dir, limits)
        if audios:
            return _process_audio(container, audios[0], out_dir, limits)
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, "no picture and no sound")
    except MemoryError:
        raise  # the sandbox's memory ceiling (av.MemoryError is an FFmpegError too)
    except av.FFmpegError as error:
        raise MediaRejected(RejectionCode.DAMAGED, f"{type(error).__name__}: {error}") from error
    finally:
        container.close()


def _open(source: Path) -> InputContainer:
    try:
        container = av.open(str(source), mode="r", container_options=_INPUT_OPTIONS)
    except MemoryError:
        raise
    except av.ArgumentError as error:
        # EINVAL: FFmpeg identified a demuxer that is not on the whitelist (a playlist...).
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, str(error)) from error
    except (av.FFmpegError, ValueError) as error:
        # FFmpeg says "invalid data" both for bytes it cannot place and for a file that
        # starts as a known format and breaks off (an MP4 without its index).
        with source.open("rb") as file:
            known = sniff(file.read(8192)) in (MediaKind.AUDIO, MediaKind.VIDEO)
        code = RejectionCode.DAMAGED if known else RejectionCode.NOT_SUPPORTED
        raise MediaRejected(code, f"{type(error).__name__}: {error}") from error
    if container.format.name not in CONTAINER_FORMATS:
        container.close()
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"container {container.format.name}")
    return container


def _codec_name(stream: Stream) -> str:
    """The codec's own name (`mp3`, `av1`), not its decoder's (`mp3float`, `libdav1d`)."""
    context = getattr(stream, "codec_context", None)  # None for data and attachment streams
    return str(context.codec.canonical_name) if context is not None else ""


def _declared_seconds(container: InputContainer, stream: Stream) -> float | None:
    """The stream's duration from the header, else the container's (the longest stream's,
    which may be a track we drop)."""
    if stream.duration is not None and stream.duration > 0 and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return float(container.duration) / av.time_base
    return None


def _expected_seconds(container: InputContainer, stream: Stream) -> float | None:
    """The declared duration where the header is exact (an index, a sample count), so that
    packets ending early mean a truncated file; MP3 and ADTS durations are estimates."""
    if container.format.name in _EXACT_DURATION_FORMATS:
        return _declared_seconds(container, stream)
    return None


def _check_declared(container: InputContainer, stream: Stream, max_seconds: float) -> None:
    declared = _declared_seconds(container, stream)
    if declared is not None and declared > max_seconds:
        raise MediaRejected(RejectionCode.TOO_LONG, f"{declared:.1f} s")


def _process_video(
    container: InputContainer,
    video: VideoStream,
    audios: list[AudioStream],
    out_dir: Path,
    limits: ProcessingLimits,
) -> ProcessedMedia:
    codec = _codec_name(video)
    if codec not in VIDEO_CODECS:
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"video codec {codec!r}")
    _check_declared(container, video, limits.max_video_seconds)
    target = _VIDEO_TARGETS[codec]
    audio = audios[0] if audios and _codec_name(audios[0]) in AUDIO_CODECS else None
    declared = _declared_seconds(container, video)
    poster_at = POSTER_SECONDS if declared is None else min(POSTER_SECONDS, declared / 2)
    poster = _Poster(video, poster_at)
    name = f"file.{target.extension}"
    _remux(
        container,
        video,
        audio,
        out_dir / name,
        target,
        limits.max_video_seconds,
        expected=_expected_seconds(container, video),
        on_video=poster.feed,
    )
    frame = poster.frame()
    if frame is None:
        raise MediaRejected(RejectionCode.DAMAGED, "no picture could be decoded")
    picture = _upright(frame)
    preview = write_preview(picture, out_dir)
    original = dimensions(picture.width, picture.height) | _timing(out_dir / name)
    return ProcessedMedia(
        kind=MediaKind.VIDEO,
        mastodon_type="video",
        file=OutputFile(name=name, extension=target.extension, content_type=target.content_type),
        preview=preview.file,
        blurhash=preview.blurhash,
        meta={"original": original, "small": preview.small},
    )


def _process_audio(
    container: InputContainer, audio: AudioStream, out_dir: Path, limits: ProcessingLimits
) -> ProcessedMedia:
    codec = _codec_name(audio)
    if codec not in AUDIO_CODECS:
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"audio codec {codec!r}")
    _check_declared(container, audio, limits.max_audio_seconds)
    target = _AUDIO_TARGETS.get(codec, _M4A)  # PCM becomes AAC in M4A
    peaks = _Peaks()
    name = f"file.{target.extension}"
    _remux(
        container,
        None,
        audio,
        out_dir / name,
        target,
        limits.max_audio_seconds,
        expected=_expected_seconds(container, audio),
        on_audio=peaks.add,
    )
    timing = _timing(out_dir / name)
    return ProcessedMedia(
        kind=MediaKind.AUDIO,
        mastodon_type="audio",
        file=OutputFile(name=name, extension=target.extension, content_type=target.content_type),
        meta={"original": {"duration": timing["duration"], "bitrate": timing["bitrate"]}},
        extra={"waveform": peaks.waveform()},
    )


def _single_thread(stream: Stream) -> None:
    context = stream.codec_context
    context.thread_type = "NONE"
    context.thread_count = 1


def _remux(
    container: InputContainer,
    video: VideoStream | None,
    audio: AudioStream | None,
    path: Path,
    target: _Target,
    max_seconds: float,
    *,
    expected: float | None = None,
    on_audio: Callable[[AudioFrame], None] | None = None,
    on_video: Callable[[Packet[Any] | None], bool] | None = None,
) -> None:
    """Copy `video` and `audio` packets into a new `target` container at `path`.

    The audio is re-encoded with `target.audio_encoder` when its codec is not one the target
    takes as it is. `on_audio` receives every decoded audio frame (the audio is decoded only
    when it is re-encoded or someone listens); `on_video` receives each video packet and
    returns whether it wants more. `expected` is the duration the header promised: packets
    that end well before it mean a truncated file.
    """
    output = av.open(
        str(path), mode="w", format=target.muxer, container_options=_BITEXACT | target.options
    )
    try:
        out_video = output.add_stream_from_template(video, opaque=True) if video else None
        out_audio: AudioStream | None = None
        encoder: AudioStream | None = None
        if audio is not None:
            _single_thread(audio)
            if _codec_name(audio) in target.audio_copy:
                out_audio = output.add_stream_from_template(audio, opaque=True)
            else:
                encoder = _add_encoder(output, target.audio_encoder, audio)
        if video is not None and out_video is not None and _codec_name(video) == "hevc":
            out_video.codec_context.codec_tag = "hvc1"  # the tag Apple's players require
        output.metadata.clear()
        for stream in output.streams:
            stream.metadata.clear()
        wants_video = on_video is not None
        muxed = 0
        clock = _Clock(max_seconds)
        streams = [stream for stream in (video, audio) if stream is not None]
        for packet in container.demux(*streams):
            if packet.dts is None:
                continue  # the empty packet that flushes a demuxer
            if packet.is_corrupt:
                raise MediaRejected(RejectionCode.DAMAGED, "a packet is cut short or corrupt")
            clock.check(packet)
            if packet.stream is video and out_video is not None:
                if wants_video and on_video is not None:
                    wants_video = on_video(packet)
                packet.stream = out_video
                output.mux(packet)
            elif audio is not None:
                frames: list[AudioFrame] = []
                if encoder is not None or on_audio is not None:
                    frames = list(audio.decode(packet))
                if on_audio is not None:
                    for frame in frames:
                        on_audio(frame)
                if encoder is not None:
                    for frame in frames:
                        output.mux(encoder.encode(frame))
                elif out_audio is not None:
                    packet.stream = out_audio
                    output.mux(packet)
            muxed += 1
        if audio is not None and (encoder is not None or on_audio is not None):
            for frame in audio.decode(None):
                if on_audio is not None:
                    on_audio(frame)
                if encoder is not None:
                    output.mux(encoder.encode(frame))
        if encoder is not None:
            output.mux(encoder.encode(None))
        if wants_video and on_video is not None:
            on_video(None)  # flush: a short clip may still hold its frames in the decoder
        if muxed == 0:
            raise MediaRejected(RejectionCode.DAMAGED, "no packets")
        if expected is not None and clock.covered < expected - max(0.25, expected * 0.02):
            # The index promised more than the file holds: it was cut off.
            raise MediaRejected(RejectionCode.DAMAGED, f"{clock.covered:.1f} s of {expected:.1f} s")
    finally:
        output.close()


def _add_encoder(
    output: OutputContainer, encoder: Literal["aac", "libopus"], audio: AudioStream
) -> AudioStream:
    source = audio.codec_context
    channels = 1 if source.channels == 1 else 2
    if encoder == "libopus":
        rate = 48000
    else:
        rate = source.sample_rate if source.sample_rate in _AAC_RATES else 48000
    layout = "mono" if channels == 1 else "stereo"
    stream = output.add_stream(encoder, rate=rate, layout=layout, options=_BITEXACT_CODEC)
    stream.bit_rate = 64000 * channels if encoder == "aac" else 48000 * channels
    return stream


class _Clock:
    """Follows the packet times: refuses a file whose packets run past `max_seconds`,
    whatever its header said, and measures how much of the file the packets covered."""

    def __init__(self, max_seconds: float) -> None:
        self.limit = max_seconds + _DURATION_SLACK_SECONDS
        self.starts: dict[int, float] = {}
        self.covered = 0.0

    def check(self, packet: Packet[Any]) -> None:
        when = packet.pts if packet.pts is not None else packet.dts
        if when is None or packet.time_base is None:
            return
        seconds = float(when * packet.time_base)
        start = self.starts.setdefault(packet.stream.index, seconds)
        end = seconds + float((packet.duration or 0) * packet.time_base) - start
        self.covered = max(self.covered, end)
        if seconds - start > self.limit:
            raise MediaRejected(RejectionCode.TOO_LONG, f"packets past {seconds:.1f} s")


class _Poster:
    """Decodes video packets until the frame at about `at` seconds (or the last one before)."""

    def __init__(self, stream: VideoStream, at: float) -> None:
        _single_thread(stream)
        self.stream = stream
        self.at = at
        self.best: VideoFrame | None = None
        self.start: float | None = None

    def feed(self, packet: Packet[Any] | None) -> bool:
        """Decode `packet` (None flushes); whether more packets are wanted."""
        for frame in self.stream.decode(packet):
            if frame.time is None:
                if self.best is None:
                    self.best = frame
                continue
            if self.start is None:
                self.start = frame.time
            if self.best is None or frame.time - self.start <= self.at:
                self.best = frame
            if frame.time - self.start >= self.at:
                return False
        return True

    def frame(self) -> VideoFrame | None:
        return self.best


def _upright(frame: VideoFrame) -> Image.Image:
    """The frame as a picture, turned the way the display matrix says to show it."""
    picture = Image.fromarray(frame.to_ndarray(format="rgb24"))
    quarter_turns = round((frame.rotation or 0) / 90) % 4  # counter-clockwise
    turns = {
        1: Image.Transpose.ROTATE_90,
        2: Image.Transpose.ROTATE_180,
        3: Image.Transpose.ROTATE_270,
    }
    return picture.transpose(turns[quarter_turns]) if quarter_turns else picture


def _timing(path: Path) -> dict[str, Any]:
    """Duration, bitrate (and frame rate for a video) of a file we wrote, read back."""
    with av.open(str(path), mode="r", container_options=_INPUT_OPTIONS) as written:
        duration = written.duration / av.time_base if written.duration else 0.0
        timing: dict[str, Any] = {
            "duration": round(duration, 2),
            "bitrate": int(written.bit_rate or 0),
        }
        if written.streams.video:
            rate = written.streams.video[0].average_rate or written.streams.video[0].guessed_rate
            if rate:
                timing["frame_rate"] = f"{rate.numerator}/{rate.denominator}"
    return timing


class _Peaks:
    """The loudest sample of each of WAVEFORM_POINTS equal slices of the sound.

    Keeps one peak per BLOCK samples (about 6 ms at 44.1 kHz, a few megabytes for half an
    hour), so memory stays flat however long the file is.
    """

    BLOCK = 256

    def __init__(self) -> None:
        self.blocks: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        self.carry = np.zeros(0, dtype=np.float32)

    def add(self, frame: AudioFrame) -> None:
        amplitude = np.concatenate([self.carry, _amplitude(frame)])
        whole = len(amplitude) // self.BLOCK * self.BLOCK
        if whole:
            self.blocks.append(amplitude[:whole].reshape(-1, self.BLOCK).max(axis=1))
        self.carry = amplitude[whole:]

    def waveform(self) -> list[float]:
        parts = [*self.blocks, self.carry.max(keepdims=True)] if self.carry.size else self.blocks
        if not parts:
            return [0.0] * WAVEFORM_POINTS
        blocks = np.concatenate(parts)
        count = len(blocks)
        if count >= WAVEFORM_POINTS:
            edges = np.linspace(0, count, WAVEFORM_POINTS + 1).astype(int)[:-1]
            peaks = np.maximum.reduceat(blocks, edges)
        else:
            peaks = blocks[np.arange(WAVEFORM_POINTS) * count // WAVEFORM_POINTS]
        loudest = float(peaks.max())
        if loudest < 1e-4:  # silence (or as good as): a flat line, not amplified noise
            return [0.0] * WAVEFORM_POINTS
        return [round(float(value), 3) for value in np.clip(peaks / loudest, 0.0, 1.0)]


def _amplitude(frame: AudioFrame) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Each sample's loudest channel, as a fraction of full scale."""
    data = frame.to_ndarray()
    channels = max(1, len(frame.layout.channels))
    if not frame.format.is_planar:
        data = data.reshape(-1, channels).T
    samples = data.astype(np.float32)
    name = frame.format.name
    if name.startswith("u8"):
        samples = (samples - 128.0) / 128.0
    elif not name.startswith(("flt", "dbl")):
        samples /= float(2 ** (frame.format.bits - 1))
    finite = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=1.0)
    amplitude: np.ndarray[Any, np.dtype[np.float32]] = np.abs(finite).max(axis=0)
    return amplitude


# --- Demo and benchmark media --------------------------------------------------------------


def encode_demo_video(
    path: Path, frames: list[Image.Image], fps: int, tone_hz: float | None
) -> None:
    """Write `frames` as an H.264 MP4 at `fps` (sides rounded down to even numbers), with an
    AAC sine tone of `tone_hz` for the whole length when given; no metadata."""
    if not frames:
        raise ValueError("a video needs at least one frame")
    width, height = frames[0].width // 2 * 2, frames[0].height // 2 * 2
    options = _BITEXACT | _FASTSTART
    with av.open(str(path), mode="w", format="mp4", container_options=options) as output:
        video = output.add_stream("libx264", rate=fps, options={"preset": "veryfast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = None
        if tone_hz:
            audio = output.add_stream("aac", rate=44100, layout="mono", options=_BITEXACT_CODEC)
        for image in frames:
            picture = image.convert("RGB")
            if picture.size != (width, height):
                picture = picture.resize((width, height))
            output.mux(video.encode(VideoFrame.from_ndarray(np.asarray(picture), format="rgb24")))
        output.mux(video.encode(None))
        if audio is not None and tone_hz is not None:
            seconds = len(frames) / fps
            _mux_samples(output, audio, _tone(seconds, tone_hz, 44100) * 0.3, 44100)


def encode_demo_audio(path: Path, seconds: float) -> None:
    """Write `seconds` of speech-like sound (voiced syllables with pauses) as AAC in M4A;
    deterministic, no metadata."""
    rate = 24000
    options = _BITEXACT | _FASTSTART
    with av.open(str(path), mode="w", format="ipod", container_options=options) as output:
        audio = output.add_stream("aac", rate=rate, layout="mono", options=_BITEXACT_CODEC)
        audio.bit_rate = 48000
        _mux_samples(output, audio, _speechlike(seconds, rate), rate)


def _tone(seconds: float, hz: float, rate: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    times = np.arange(int(seconds * rate)) / rate
    return np.sin(2 * np.pi * hz * times).astype(np.float32)


def _speechlike(seconds: float, rate: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Syllables of 120-260 ms on a gliding 110-220 Hz voice with a few harmonics, in words
    of two to four, with short gaps between words and longer ones between phrases."""
    samples = np.zeros(int(seconds * rate), dtype=np.float32)
    generator = np.random.default_rng(7)
    position = int(0.2 * rate)
    syllables_left = 0
    while position < len(samples):
        if syllables_left == 0:
            syllables_left = int(generator.integers(2, 5))
            position += int(rate * generator.choice([0.12, 0.15, 0.45]))
            continue
        length = int(rate * generator.uniform(0.12, 0.26))
        pitch = generator.uniform(110, 220)
        times = np.arange(length) / rate
        glide = pitch * (1 + 0.15 * np.sin(np.pi * times / times[-1] if length > 1 else 0))
        phase = 2 * np.pi * np.cumsum(glide) / rate
        voice = sum(np.sin(phase * harmonic) / harmonic for harmonic in (1, 2, 3, 4))
        envelope = np.sin(np.pi * np.arange(length) / length) ** 2
        chunk = (0.25 * voice * envelope).astype(np.float32)
        end = min(len(samples), position + length)
        samples[position:end] = chunk[: end - position]
        position = end + int(rate * 0.03)
        syllables_left -= 1
    return samples


def _mux_samples(
    output: OutputContainer,
    stream: AudioStream,
    samples: np.ndarray[Any, np.dtype[np.float32]],
    rate: int,
) -> None:
    """Encode mono float `samples` into `stream` in chunks of 1024, then flush."""
    for start in range(0, len(samples), 1024):
        chunk = np.ascontiguousarray(samples[start : start + 1024]).reshape(1, -1)
        frame = AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        output.mux(stream.encode(frame))
    output.mux(stream.encode(None))
