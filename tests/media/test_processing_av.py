"""Audio and video processing: remuxing without metadata or extra streams, the container and
codec allow-lists, duration limits, truncated files, poster frames and waveforms.

Every file is made here with PyAV, tiny (a second or two at low resolution), so each test
stays well under a second.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from av.stream import Disposition
from PIL import Image

from staffroom.media.processing.av_media import (
    encode_demo_audio,
    encode_demo_video,
    process_av,
)
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)
from staffroom.media.sandbox import SandboxLimits, run_sandboxed

LIMITS = ProcessingLimits()
LOCATION = "+48.8584+002.2945/"
CONTAINER_TAGS = {
    "title": "secret title",
    "location": LOCATION,
    "com.apple.quicktime.location.ISO6709": LOCATION,
    "creation_time": "2024-03-01T10:20:30.000000Z",
    "comment": "secret comment",
}
STREAM_TAGS = {
    "title": "secret stream",
    "handler_name": "secret handler",
    "creation_time": "2024-03-01T10:20:30.000000Z",
}
# FFmpeg's own Vorbis encoder is marked experimental (and makes stereo only).
ENCODER_OPTIONS = {"vorbis": {"strict": "experimental"}}
# What must not be found anywhere in a processed file's bytes.
SECRETS = (b"secret", LOCATION.encode(), b"2024-03-01", b"commentary")
SECRET_KEYS = {
    "title",
    "location",
    "location-eng",
    "com.apple.quicktime.location.ISO6709",
    "creation_time",
    "comment",
    "artist",
    "name",
}


# --- Making media ------------------------------------------------------------------------------


def tone(seconds: float, rate: int, *, loud_half: bool = False, hz: float = 440.0) -> np.ndarray:
    samples = (0.5 * np.sin(2 * np.pi * hz * np.arange(int(seconds * rate)) / rate)).astype(
        np.float32
    )
    if loud_half:
        samples[len(samples) // 2 :] = 0.0
    return samples


def mux_audio(container, stream, samples: np.ndarray, rate: int, channels: int = 1) -> None:
    layout = "mono" if channels == 1 else "stereo"
    step = 1024
    for start in range(0, len(samples), step):
        chunk = np.ascontiguousarray(np.tile(samples[start : start + step], (channels, 1)))
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))


def picture(index: int, size: tuple[int, int], *, white_from: int | None = None) -> np.ndarray:
    """A frame with a white top-left quarter (or all white from frame `white_from` on)."""
    width, height = size
    frame = np.zeros((height, width, 3), np.uint8)
    if white_from is not None:
        frame[:] = 255 if index >= white_from else 0
    else:
        frame[: height // 4, : width // 4] = 255
        frame[:, width // 2 :, 2] = (index * 7) % 255
    return frame


def write_video(
    path: Path,
    *,
    muxer: str | None = None,
    video_codec: str = "libx264",
    audio_codec: str | None = "aac",
    seconds: float = 2.0,
    fps: int = 10,
    size: tuple[int, int] = (320, 240),
    tags: dict[str, str] | None = None,
    rotation: int | None = None,
    white_from: int | None = None,
    extras: bool = False,
    container_options: dict[str, str] | None = None,
) -> Path:
    """A small video; `extras` adds a second audio track, chapters (a text track in MOV)
    and, in Matroska, a subtitle stream."""
    video_options = {"libx264": {"preset": "ultrafast"}}.get(video_codec, {})
    if video_codec.startswith("libvpx"):
        video_options = {"deadline": "realtime", "cpu-used": "8"}
    with av.open(str(path), "w", format=muxer, container_options=container_options or {}) as output:
        output.metadata.update(tags or {})
        video = output.add_stream(video_codec, rate=fps, options=video_options)
        assert isinstance(video, av.VideoStream)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        video.metadata.update(STREAM_TAGS if tags else {})
        if rotation is not None:
            video.set_display_rotation(rotation)
        audio = None
        if audio_codec:
            options = ENCODER_OPTIONS.get(audio_codec, {})
            audio = output.add_stream(audio_codec, rate=48000, layout="stereo", options=options)
            assert isinstance(audio, av.AudioStream)
        if audio is not None and tags:
            audio.metadata.update(STREAM_TAGS)
        second = None
        if extras:
            second = output.add_stream("aac", rate=48000, layout="mono")
            second.metadata["title"] = "commentary"
            chapter = {"title": "secret chapter"}
            output.set_chapters(
                [
                    {
                        "id": 1,
                        "start": 0,
                        "end": 1000,
                        "time_base": Fraction(1, 1000),
                        "metadata": chapter,
                    }
                ]
            )
            if (muxer or "").startswith("matroska"):
                subtitles = output.add_mux_stream("subrip")
                subtitles.time_base = Fraction(1, 1000)
                packet = av.Packet(b"secret subtitle")
                packet.stream, packet.pts, packet.dts = subtitles, 0, 0
                packet.duration, packet.time_base = 1000, Fraction(1, 1000)
                output.mux(packet)
        for index in range(int(seconds * fps)):
            frame = picture(index, size, white_from=white_from)
            output.mux(video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        output.mux(video.encode(None))
        if audio is not None:
            mux_audio(output, audio, tone(seconds, 48000), 48000, channels=2)
        if second is not None:
            mux_audio(output, second, tone(seconds, 48000, hz=220), 48000)
    return path


def write_audio(
    path: Path,
    *,
    muxer: str,
    codec: str,
    seconds: float = 1.0,
    rate: int = 48000,
    tags: dict[str, str] | None = None,
    cover: bool = False,
    silent: bool = False,
    channels: int = 1,
) -> Path:
    """A tone whose first half is loud and second half silent (or silence throughout)."""
    with av.open(str(path), "w", format=muxer) as output:
        output.metadata.update(tags or {})
        audio = output.add_stream(
            codec,
            rate=rate,
            layout="mono" if channels == 1 else "stereo",
            options=ENCODER_OPTIONS.get(codec),
        )
        assert isinstance(audio, av.AudioStream)
        if cover:
            art = output.add_stream("mjpeg", rate=1)
            art.width, art.height, art.pix_fmt = 16, 16, "yuvj420p"
            art.disposition = Disposition.attached_pic
            square = np.full((16, 16, 3), 200, np.uint8)
            for packet in art.encode(av.VideoFrame.from_ndarray(square, format="rgb24")):
                output.mux(packet)
            output.mux(art.encode(None))
        samples = tone(seconds, rate, loud_half=True)
        if silent:
            samples[:] = 0.0
        mux_audio(output, audio, samples, rate, channels)
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def phone_mp4(media) -> Path:
    return write_video(media / "phone.mp4", tags=CONTAINER_TAGS)


@pytest.fixture(scope="module")
def phone_mov(media) -> Path:
    return write_video(media / "phone.mov", muxer="mov", tags=CONTAINER_TAGS, extras=True)


def run(source: Path, tmp_path: Path, kind=MediaKind.VIDEO, limits=LIMITS) -> ProcessedMedia:
    out_dir = tmp_path / "out"
    out_dir.mkdir(exist_ok=True)
    return process_av(kind, source, out_dir, limits)


def refusal(source: Path, tmp_path: Path, kind=MediaKind.VIDEO, limits=LIMITS) -> RejectionCode:
    with pytest.raises(MediaRejected) as caught:
        run(source, tmp_path, kind, limits)
    return caught.value.code


def output_of(result: ProcessedMedia, tmp_path: Path) -> Path:
    return tmp_path / "out" / result.file.name


def assert_no_metadata(path: Path) -> None:
    """Read the output back as ffprobe would: no original tag, chapter or stream survives."""
    data = path.read_bytes()
    for secret in SECRETS:
        assert secret not in data, secret
    with av.open(str(path)) as written:
        assert not SECRET_KEYS & set(written.metadata), dict(written.metadata)
        assert written.chapters() == []
        for stream in written.streams:
            assert not SECRET_KEYS & set(stream.metadata), dict(stream.metadata)
            assert "secret" not in " ".join(stream.metadata.values())


def seconds(container) -> float:
    assert container.duration is not None
    return container.duration / av.time_base


def level(image: Image.Image, xy: tuple[int, int]) -> int:
    pixel = image.getpixel(xy)
    assert isinstance(pixel, int)
    return pixel


def stream_types(path: Path) -> list[str]:
    with av.open(str(path)) as written:
        return [stream.type for stream in written.streams]


# --- Video ------------------------------------------------------------------------------------


def test_phone_video_fixture_really_carries_the_metadata(phone_mov):
    with av.open(str(phone_mov)) as source:
        assert source.metadata["location"] == LOCATION
        assert source.metadata["title"] == "secret title"
        assert [stream.type for stream in source.streams] == ["video", "audio", "audio", "data"]
        assert source.chapters()


def test_video_is_remuxed_with_its_picture_and_length_and_no_metadata(phone_mp4, tmp_path):
    """SECURITY-PLAN U-3."""
    result = run(phone_mp4, tmp_path)

    assert result.kind is MediaKind.VIDEO
    assert result.mastodon_type == "video"
    assert (result.file.name, result.file.content_type) == ("file.mp4", "video/mp4")
    original = result.meta["original"]
    assert (original["width"], original["height"], original["size"]) == (320, 240, "320x240")
    assert original["aspect"] == round(320 / 240, 6)
    assert original["duration"] == pytest.approx(2.0, abs=0.05)
    assert original["frame_rate"] == "10/1"
    assert isinstance(original["bitrate"], int)
    assert original["bitrate"] > 0
    path = output_of(result, tmp_path)
    assert_no_metadata(path)
    assert stream_types(path) == ["video", "audio"]
    with av.open(str(path)) as written, av.open(str(phone_mp4)) as source:
        assert written.streams.video[0].codec_context.name == "h264"
        assert written.streams.audio[0].codec_context.name == "aac"
        # Remuxed, not re-encoded: the same number of compressed pictures, byte for byte.
        sizes = [p.size for p in written.demux(video=0) if p.dts is not None]
        assert sizes == [p.size for p in source.demux(video=0) if p.dts is not None]
        assert written.streams.video[0].frames == source.streams.video[0].frames
    # MP4 with the index first (+faststart): playback starts before the file has arrived.
    head = path.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


def test_poster_is_a_jpeg_preview_with_a_blurhash(phone_mp4, tmp_path):
    result = run(phone_mp4, tmp_path)

    assert result.preview is not None
    assert result.preview.content_type == "image/jpeg"
    with Image.open(tmp_path / "out" / result.preview.name) as poster:
        assert poster.format == "JPEG"
        assert poster.size == (320, 240)
        assert not poster.getexif()
    assert result.meta["small"]["size"] == "320x240"
    assert isinstance(result.blurhash, str)
    assert len(result.blurhash) == 28


def test_poster_is_taken_about_a_second_in(media, tmp_path):
    # Black for the first second (a fade-in), white after.
    source = write_video(media / "fade.mp4", seconds=2, white_from=10, audio_codec=None)

    run(source, tmp_path)

    with Image.open(tmp_path / "out" / "preview.jpg") as poster:
        darkest, _ = poster.convert("L").getextrema()
        assert isinstance(darkest, int)
        assert darkest > 200


def test_mov_keeps_one_picture_and_one_sound_and_drops_the_rest(phone_mov, tmp_path):
    result = run(phone_mov, tmp_path)

    path = output_of(result, tmp_path)
    assert path.suffix == ".mp4"
    assert stream_types(path) == ["video", "audio"]  # no second track, no chapter text track
    assert_no_metadata(path)


def test_matroska_subtitles_and_second_audio_are_dropped(media, tmp_path):
    source = write_video(
        media / "extras.mkv", muxer="matroska", tags={"title": "secret"}, extras=True
    )
    with av.open(str(source)) as opened:
        assert "subtitle" in [stream.type for stream in opened.streams]

    result = run(source, tmp_path)

    path = output_of(result, tmp_path)
    assert stream_types(path) == ["video", "audio"]
    assert_no_metadata(path)


def test_portrait_phone_video_stays_upright(media, tmp_path):
    # Stored landscape, shown turned a quarter clockwise (as phones record portrait video).
    source = write_video(media / "portrait.mov", muxer="mov", size=(160, 120), rotation=-90)

    result = run(source, tmp_path)

    assert result.meta["original"]["size"] == "120x160"
    with Image.open(tmp_path / "out" / "preview.jpg") as poster:
        assert poster.size == (120, 160)
        grey = poster.convert("L")
        assert level(grey, (110, 5)) > 200  # the white top-left corner, now top right
        assert level(grey, (5, 5)) < 60
    with av.open(str(output_of(result, tmp_path))) as written:
        assert next(written.decode(video=0)).rotation == -90  # players turn it too


def test_vp9_webm_stays_webm(media, tmp_path):
    source = write_video(
        media / "clip.webm",
        muxer="webm",
        video_codec="libvpx-vp9",
        audio_codec="libopus",
        size=(160, 120),
        seconds=1,
        tags={"title": "secret"},
    )

    result = run(source, tmp_path)

    assert (result.file.name, result.file.content_type) == ("file.webm", "video/webm")
    path = output_of(result, tmp_path)
    with av.open(str(path)) as written:
        assert written.format.name == "matroska,webm"
        codecs = [stream.codec_context.codec.canonical_name for stream in written.streams]
        assert codecs == ["vp9", "opus"]
    assert_no_metadata(path)


@pytest.mark.parametrize(
    ("name", "muxer", "audio_codec"),
    [("pcm.mov", "mov", "pcm_s16le"), ("flac.mkv", "matroska", "flac")],
)
def test_audio_the_container_cannot_take_is_reencoded_to_aac(
    media, tmp_path, name, muxer, audio_codec
):
    source = write_video(
        media / name, muxer=muxer, audio_codec=audio_codec, seconds=1, size=(64, 48)
    )

    result = run(source, tmp_path)

    with av.open(str(output_of(result, tmp_path))) as written:
        assert [s.codec_context.name for s in written.streams] == ["h264", "aac"]
        assert seconds(written) == pytest.approx(1.0, abs=0.1)
        assert sum(frame.samples for frame in written.decode(audio=0)) > 40000


def test_vorbis_in_a_webm_video_is_reencoded_to_opus(media, tmp_path):
    # A copied Vorbis stream would carry its comment header (tags) in the codec parameters.
    source = write_video(
        media / "old.webm",
        muxer="webm",
        video_codec="libvpx",
        audio_codec="vorbis",
        size=(64, 48),
        seconds=1,
    )

    result = run(source, tmp_path)

    with av.open(str(output_of(result, tmp_path))) as written:
        codecs = [stream.codec_context.codec.canonical_name for stream in written.streams]
        assert codecs == ["vp8", "opus"]


def test_video_over_the_duration_limit_is_too_long(phone_mp4, tmp_path):
    limits = ProcessingLimits(max_video_seconds=1)
    assert refusal(phone_mp4, tmp_path, limits=limits) is RejectionCode.TOO_LONG


def test_video_without_a_stated_duration_is_measured_while_remuxing(media, tmp_path):
    # Matroska written to a pipe has no Duration in its header.
    class Pipe:
        def __init__(self) -> None:
            self.data = bytearray()

        def write(self, chunk: bytes) -> int:
            self.data += chunk
            return len(chunk)

    pipe = Pipe()
    with av.open(pipe, "w", format="matroska") as output:
        video = output.add_stream("libx264", rate=10, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        for index in range(30):
            frame = picture(index, (64, 48))
            output.mux(video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        output.mux(video.encode(None))
    source = media / "streamed.mkv"
    source.write_bytes(bytes(pipe.data))
    with av.open(str(source)) as opened:
        assert opened.duration is None

    limits = ProcessingLimits(max_video_seconds=1)
    assert refusal(source, tmp_path, limits=limits) is RejectionCode.TOO_LONG
    assert run(source, tmp_path).meta["original"]["duration"] == pytest.approx(3.0, abs=0.15)


def test_video_codec_outside_the_allow_list_is_not_supported(media, tmp_path):
    source = write_video(media / "old.mp4", video_codec="mpeg4", seconds=1, size=(64, 48))
    assert refusal(source, tmp_path) is RejectionCode.NOT_SUPPORTED


def test_truncated_mp4_is_damaged(phone_mp4, tmp_path):
    # Index at the end (as cameras write): cut, the file has no index at all.
    whole = phone_mp4.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 2])
    assert refusal(cut, tmp_path) is RejectionCode.DAMAGED


def test_truncated_faststart_mp4_is_damaged(media, tmp_path):
    # Index first: the index promises samples the file no longer holds.
    whole = write_video(
        media / "fast.mp4", container_options={"movflags": "+faststart"}
    ).read_bytes()
    for fraction in (0.5, 0.9):
        cut = tmp_path / f"cut-{fraction}.mp4"
        cut.write_bytes(whole[: int(len(whole) * fraction)])
        assert refusal(cut, tmp_path) is RejectionCode.DAMAGED


def test_truncated_webm_is_damaged(media, tmp_path):
    whole = write_video(
        media / "whole.webm",
        muxer="webm",
        video_codec="libvpx",
        audio_codec="libopus",
        size=(64, 48),
    ).read_bytes()
    cut = tmp_path / "cut.webm"
    cut.write_bytes(whole[: len(whole) // 2])
    assert refusal(cut, tmp_path) is RejectionCode.DAMAGED


def test_playlists_are_not_supported_and_read_nothing(phone_mp4, tmp_path):
    # FFmpeg would follow these to another file (or a URL); its demuxers are not allowed.
    """SECURITY-PLAN U-6."""
    hls = tmp_path / "list.m3u8"
    hls.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n{phone_mp4}\n#EXT-X-ENDLIST\n")
    concat = tmp_path / "list.txt"
    concat.write_text(f"ffconcat version 1.0\nfile '{phone_mp4}'\n")
    remote = tmp_path / "remote.m3u8"
    remote.write_text("#EXTM3U\n#EXTINF:2,\nhttp://127.0.0.1:9/secret.ts\n#EXT-X-ENDLIST\n")
    for source in (hls, concat, remote):
        assert refusal(source, tmp_path) is RejectionCode.NOT_SUPPORTED
    assert not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>" * 20,
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"PK\x03\x04" + bytes(200),
    ],
    ids=["html", "svg", "zip"],
)
def test_other_files_are_not_supported(tmp_path, content):
    """SECURITY-PLAN U-2."""
    source = tmp_path / "upload.mp4"
    source.write_bytes(content)
    assert refusal(source, tmp_path) is RejectionCode.NOT_SUPPORTED


def test_random_bytes_are_refused(tmp_path):
    for index in range(5):
        source = tmp_path / f"noise-{index}.mp4"
        source.write_bytes(os.urandom(20_000))
        code = refusal(source, tmp_path)
        assert code in (RejectionCode.NOT_SUPPORTED, RejectionCode.DAMAGED)


def test_random_bytes_behind_a_real_header_are_damaged(phone_mp4, tmp_path):
    source = tmp_path / "noise.mp4"
    source.write_bytes(phone_mp4.read_bytes()[:64] + os.urandom(20_000))
    assert refusal(source, tmp_path) is RejectionCode.DAMAGED


def test_a_file_with_neither_picture_nor_sound_is_not_supported(media, tmp_path):
    source = media / "subtitles.mkv"
    with av.open(str(source), "w", format="matroska") as output:
        subtitles = output.add_mux_stream("subrip")
        subtitles.time_base = Fraction(1, 1000)
        packet = av.Packet(b"just words")
        packet.stream, packet.pts, packet.dts = subtitles, 0, 0
        packet.duration, packet.time_base = 1000, Fraction(1, 1000)
        output.mux(packet)
    assert refusal(source, tmp_path) is RejectionCode.NOT_SUPPORTED


# --- Audio ------------------------------------------------------------------------------------


AUDIO_TAGS = {"title": "secret title", "artist": "secret artist", "comment": "secret comment"}


def test_mp3_loses_its_id3_tags_and_cover_art(media, tmp_path):
    """SECURITY-PLAN U-3."""
    source = write_audio(
        media / "song.mp3", muxer="mp3", codec="libmp3lame", rate=44100, tags=AUDIO_TAGS, cover=True
    )
    assert source.read_bytes().startswith(b"ID3")

    result = run(source, tmp_path, MediaKind.AUDIO)

    assert result.kind is MediaKind.AUDIO
    assert result.mastodon_type == "audio"
    assert (result.file.name, result.file.content_type) == ("file.mp3", "audio/mpeg")
    assert result.preview is None
    assert result.blurhash is None
    path = output_of(result, tmp_path)
    data = path.read_bytes()
    assert not data.startswith(b"ID3")
    assert b"TAG" not in data[-128:]  # no ID3v1 either
    assert b"JFIF" not in data
    assert b"APIC" not in data
    assert stream_types(path) == ["audio"]
    assert_no_metadata(path)
    assert result.meta["original"]["duration"] == pytest.approx(1.0, abs=0.1)
    assert result.meta["original"]["bitrate"] > 0


def test_ogg_opus_loses_its_tags(media, tmp_path):
    source = write_audio(media / "voice.ogg", muxer="ogg", codec="libopus", tags=AUDIO_TAGS)
    assert b"secret title" in source.read_bytes()

    result = run(source, tmp_path, MediaKind.AUDIO)

    assert (result.file.name, result.file.content_type) == ("file.ogg", "audio/ogg")
    assert_no_metadata(output_of(result, tmp_path))


@pytest.mark.parametrize(("name", "muxer"), [("words.ogg", "ogg"), ("words.mka", "matroska")])
def test_vorbis_goes_into_ogg_with_a_fresh_comment_header(media, tmp_path, name, muxer):
    source = write_audio(
        media / name, muxer=muxer, codec="vorbis", rate=44100, tags=AUDIO_TAGS, channels=2
    )
    assert b"secret title" in source.read_bytes()

    result = run(source, tmp_path, MediaKind.AUDIO)

    assert (result.file.name, result.file.content_type) == ("file.ogg", "audio/ogg")
    path = output_of(result, tmp_path)
    with av.open(str(path)) as written:
        assert written.streams.audio[0].codec_context.name == "vorbis"
    assert_no_metadata(path)


def test_flac_stays_flac_without_tags(media, tmp_path):
    source = write_audio(media / "take.flac", muxer="flac", codec="flac", tags=AUDIO_TAGS)

    result = run(source, tmp_path, MediaKind.AUDIO)

    assert (result.file.name, result.file.content_type) == ("file.flac", "audio/flac")
    assert_no_metadata(output_of(result, tmp_path))


@pytest.mark.parametrize(("name", "muxer"), [("memo.m4a", "ipod"), ("raw.aac", "adts")])
def test_aac_goes_into_m4a_without_tags(media, tmp_path, name, muxer):
    tags = AUDIO_TAGS if muxer == "ipod" else None
    source = write_audio(media / name, muxer=muxer, codec="aac", tags=tags)

    result = run(source, tmp_path, MediaKind.AUDIO)

    assert (result.file.name, result.file.content_type) == ("file.m4a", "audio/mp4")
    path = output_of(result, tmp_path)
    assert_no_metadata(path)
    with av.open(str(path)) as written:
        assert sum(frame.samples for frame in written.decode(audio=0)) > 40000


def test_wav_becomes_aac_with_a_waveform_of_its_loud_and_silent_halves(media, tmp_path):
    source = write_audio(media / "lesson.wav", muxer="wav", codec="pcm_s16le", rate=44100)

    result = run(source, tmp_path, MediaKind.AUDIO)

    assert (result.file.name, result.file.content_type) == ("file.m4a", "audio/mp4")
    with av.open(str(output_of(result, tmp_path))) as written:
        assert written.streams.audio[0].codec_context.name == "aac"
    waveform = result.extra["waveform"]
    assert len(waveform) == 64
    assert all(isinstance(value, float) and 0.0 <= value <= 1.0 for value in waveform)
    assert max(waveform) == 1.0
    assert min(waveform[:31]) > 0.9  # the loud half
    assert max(waveform[33:]) < 0.05  # the silent half
    assert set(result.meta) == {"original"}
    assert set(result.meta["original"]) == {"duration", "bitrate"}
    assert result.meta["original"]["duration"] == pytest.approx(1.0, abs=0.05)
    assert result.meta["original"]["bitrate"] > 0


def test_silence_has_a_flat_waveform(media, tmp_path):
    source = write_audio(media / "quiet.wav", muxer="wav", codec="pcm_s16le", silent=True)
    result = run(source, tmp_path, MediaKind.AUDIO)
    assert result.extra["waveform"] == [0.0] * 64


def test_waveform_of_a_copied_stream(media, tmp_path):
    source = write_audio(media / "half.ogg", muxer="ogg", codec="libopus")
    waveform = run(source, tmp_path, MediaKind.AUDIO).extra["waveform"]
    assert len(waveform) == 64
    assert min(waveform[:30]) > 0.8
    assert max(waveform[34:]) < 0.05


def test_webm_without_pictures_is_audio(media, tmp_path):
    source = write_audio(media / "sound.webm", muxer="webm", codec="libopus", tags=AUDIO_TAGS)

    result = run(source, tmp_path, MediaKind.VIDEO)

    assert result.kind is MediaKind.AUDIO
    assert result.mastodon_type == "audio"
    assert result.file.content_type == "audio/ogg"
    assert_no_metadata(output_of(result, tmp_path))


def test_audio_over_the_duration_limit_is_too_long(media, tmp_path):
    source = write_audio(media / "long.ogg", muxer="ogg", codec="libopus", seconds=2)
    limits = ProcessingLimits(max_audio_seconds=1)
    assert refusal(source, tmp_path, MediaKind.AUDIO, limits) is RejectionCode.TOO_LONG


def test_audio_codec_outside_the_allow_list_is_not_supported(media, tmp_path):
    source = write_audio(media / "film.mka", muxer="matroska", codec="ac3")
    assert refusal(source, tmp_path, MediaKind.AUDIO) is RejectionCode.NOT_SUPPORTED


def test_truncated_flac_is_damaged(media, tmp_path):
    whole = write_audio(media / "whole.flac", muxer="flac", codec="flac", seconds=2).read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(whole[: len(whole) // 2])
    assert refusal(cut, tmp_path, MediaKind.AUDIO) is RejectionCode.DAMAGED


# --- Demo media and the real child --------------------------------------------------------------


def test_demo_video_is_an_h264_mp4_with_a_tone_and_no_tags(tmp_path):
    frames = [Image.new("RGB", (65, 49), (index * 20, 100, 200)) for index in range(12)]
    path = tmp_path / "demo.mp4"

    encode_demo_video(path, frames, fps=6, tone_hz=330.0)

    with av.open(str(path)) as demo:
        assert [s.codec_context.name for s in demo.streams] == ["h264", "aac"]
        assert (demo.streams.video[0].width, demo.streams.video[0].height) == (64, 48)
        assert seconds(demo) == pytest.approx(2.0, abs=0.1)
        assert "encoder" not in demo.metadata
    result = run(path, tmp_path)
    assert result.meta["original"]["size"] == "64x48"

    silent = tmp_path / "silent.mp4"
    encode_demo_video(silent, frames[:3], fps=3, tone_hz=None)
    assert stream_types(silent) == ["video"]


def test_demo_audio_is_speechlike_aac_in_m4a(tmp_path):
    path = tmp_path / "demo.m4a"

    encode_demo_audio(path, 3.0)

    with av.open(str(path)) as demo:
        assert demo.streams.audio[0].codec_context.name == "aac"
        assert seconds(demo) == pytest.approx(3.0, abs=0.1)
    result = run(path, tmp_path, MediaKind.AUDIO)
    waveform = result.extra["waveform"]
    assert max(waveform) == 1.0
    assert min(waveform) < 0.1  # pauses between words


def test_video_in_the_real_sandboxed_child(phone_mp4, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    result = run_sandboxed(MediaKind.VIDEO, phone_mp4, out_dir, LIMITS, SandboxLimits())

    assert result.kind is MediaKind.VIDEO
    assert result.file.name == "file.mp4"
    assert_no_metadata(out_dir / "file.mp4")
    assert (out_dir / "preview.jpg").is_file()
