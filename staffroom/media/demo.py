"""The demo's media: every way of learning shows up, made on this machine (no downloads).

A few demo teachers post, through the same services a teacher's upload uses (so every file
is sniffed, processed in the sandbox and described): an anchor chart, a bar chart of exit
tickets and a classroom layout drawn with Pillow; a short audio reflection and a short
video of a number line encoded with PyAV; and a two-page fractions worksheet as a PDF.
"""

from __future__ import annotations

import io
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from staffroom.core.demo import DemoContext, demo_part
from staffroom.media.processing.av_media import encode_demo_audio, encode_demo_video
from staffroom.media.services import media_captions_set, media_upload
from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile

WHITE = (255, 255, 255)
INK = (33, 37, 41)
PALETTE = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def anchor_chart() -> bytes:
    """Fractions as parts of a whole: a halves, thirds and quarters anchor chart (PNG)."""
    image = Image.new("RGB", (1200, 800), (255, 250, 235))
    draw = ImageDraw.Draw(image)
    draw.text((60, 40), "Fractions: parts of a whole", fill=INK, font=_font(56))
    for column, parts in enumerate((2, 3, 4)):
        centre_x, centre_y, radius = 220 + column * 380, 430, 150
        box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        for part in range(parts):
            colour = PALETTE[part % len(PALETTE)] if part == 0 else (230, 230, 230)
            start, end = part * 360 / parts - 90, (part + 1) * 360 / parts - 90
            draw.pieslice(box, start, end, fill=colour, outline=INK, width=4)
        draw.text((centre_x - 40, 620), f"1/{parts}", fill=INK, font=_font(64))
    return _png(image)


def bar_chart() -> bytes:
    """Exit ticket results by question: a bar chart (PNG)."""
    scores = (92, 78, 64, 85, 71)
    image = Image.new("RGB", (1200, 700), WHITE)
    draw = ImageDraw.Draw(image)
    draw.text((60, 30), "Exit tickets: % correct by question", fill=INK, font=_font(48))
    base, left, width = 620, 140, 160
    draw.line((100, base, 1150, base), fill=INK, width=4)
    for index, score in enumerate(scores):
        x = left + index * (width + 50)
        draw.rectangle((x, base - score * 5, x + width, base), fill=PALETTE[index])
        draw.text((x + 40, base - score * 5 - 50), f"{score}%", fill=INK, font=_font(36))
        draw.text((x + 50, base + 15), f"Q{index + 1}", fill=INK, font=_font(36))
    return _png(image)


def classroom_layout() -> bytes:
    """Desks in pods of four around a reading corner: a layout diagram (JPEG)."""
    image = Image.new("RGB", (1600, 1000), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 1560, 960), outline=INK, width=8)
    draw.text((70, 60), "Room 12: pods of four", fill=INK, font=_font(52))
    for row in range(2):
        for column in range(3):
            x, y = 180 + column * 420, 250 + row * 330
            for dx, dy in ((0, 0), (110, 0), (0, 90), (110, 90)):
                draw.rectangle((x + dx, y + dy, x + dx + 100, y + dy + 80), fill=PALETTE[column])
    draw.ellipse((1250, 700, 1500, 920), fill=(255, 214, 102), outline=INK, width=4)
    draw.text((1270, 790), "Reading corner", fill=INK, font=_font(30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def worksheet_pdf() -> bytes:
    """A two-page "Equivalent fractions" worksheet, drawn and saved as a PDF."""
    pages = []
    for page_number in (1, 2):
        page = Image.new("RGB", (1240, 1754), WHITE)  # A4 at 150 dpi
        draw = ImageDraw.Draw(page)
        draw.text((100, 90), "Equivalent fractions", fill=INK, font=_font(64))
        draw.text(
            (100, 180),
            f"Name: ________________   Page {page_number} of 2",
            font=_font(36),
            fill=INK,
        )
        for question in range(8):
            number = question + 1 + (page_number - 1) * 8
            a, b = (question % 4) + 1, (question % 3) + 2
            draw.text(
                (100, 300 + question * 170),
                f"{number}.  {a}/{b} = ?/{b * 2}     and     {a * 3}/{b * 3} = ?/{b}",
                fill=INK,
                font=_font(40),
            )
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buffer.getvalue()


def number_line_frames(count: int = 72) -> list[Image.Image]:
    """A frog jumping by quarters along a number line from 0 to 2 (3 s at 24 frames/s)."""
    frames = []
    for index in range(count):
        frame = Image.new("RGB", (640, 360), (250, 250, 255))
        draw = ImageDraw.Draw(frame)
        draw.line((40, 260, 600, 260), fill=INK, width=4)
        for tick in range(9):
            x = 40 + tick * 70
            draw.line((x, 245, x, 275), fill=INK, width=3)
            label = "0" if tick == 0 else f"{tick}/4"
            draw.text((x - 14, 285), label, fill=INK, font=_font(22))
        progress = index / (count - 1) * 8
        hop = math.sin(math.pi * (progress % 1)) * 60
        centre = 40 + progress * 70
        draw.ellipse((centre - 18, 222 - hop, centre + 18, 258 - hop), fill=(44, 160, 44))
        draw.text((40, 30), "Jumping by quarters", fill=INK, font=_font(36))
        frames.append(frame)
    return frames


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _encoded(write: Callable[[Path], None], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="staffroom-demo-") as folder:
        path = Path(folder) / f"demo{suffix}"
        write(path)
        return path.read_bytes()


@dataclass(frozen=True)
class DemoMedia:
    filename: str
    content: Callable[[], bytes]
    text: str
    description: str = ""
    transcript: str = ""
    captions: str = ""


DEMO_MEDIA = (
    DemoMedia(
        "fractions-anchor-chart.png",
        anchor_chart,
        "New anchor chart for our fractions unit: halves, thirds and quarters as parts of "
        "one whole. #mathchat",
        description="Anchor chart titled 'Fractions: parts of a whole' with three circles "
        "cut into halves, thirds and quarters, one part of each shaded, labelled 1/2, 1/3 "
        "and 1/4.",
    ),
    DemoMedia(
        "exit-tickets.png",
        bar_chart,
        "Exit tickets from today: question 3 tripped most of us up, so tomorrow starts there.",
        description="Bar chart of exit ticket results by question: Q1 92%, Q2 78%, Q3 64%, "
        "Q4 85%, Q5 71% correct.",
    ),
    DemoMedia(
        "room-12-layout.jpg",
        classroom_layout,
        "Trying pods of four this term, with a reading corner by the window. Thoughts?",
        description="Floor plan of a classroom with six pods of four desks in two rows and "
        "a round reading corner in the bottom right.",
    ),
    DemoMedia(
        "equivalent-fractions-worksheet.pdf",
        worksheet_pdf,
        "Free worksheet: equivalent fractions, two pages, answer space included. Use it, "
        "change it, share it back.",
    ),
    DemoMedia(
        "reflection.m4a",
        lambda: _encoded(lambda path: encode_demo_audio(path, 8.0), ".m4a"),
        "A short audio reflection on my first week of student-led conferences.",
        transcript="This week my students led their own conferences. They chose the work to "
        "show, explained what they learned and set one goal each. Parents asked more "
        "questions than ever. Next time I will give them a planning sheet a day earlier.",
    ),
    DemoMedia(
        "number-line.mp4",
        lambda: _encoded(
            lambda path: encode_demo_video(path, number_line_frames(), 24, 440.0), ".mp4"
        ),
        "Made a tiny animation for counting by quarters on a number line.",
        description="Animation: a green frog jumps along a number line from 0 to 2 in steps "
        "of one quarter.",
        transcript="A frog jumps along a number line marked in quarters, from 0 to 8/4, one "
        "quarter at a time.",
        captions="WEBVTT\n\n00:00.000 --> 00:01.500\nJumping by quarters: 1/4, 2/4, 3/4...\n\n"
        "00:01.500 --> 00:03.000\n...all the way to 8/4, which is 2.\n",
    ),
)


def _authors(context: DemoContext) -> list[Profile]:
    profiles = [p for p in context.get("profiles") if isinstance(p, Profile) and p.is_local]
    if not profiles:
        return []
    return context.rng.sample(profiles, min(len(DEMO_MEDIA), len(profiles)))


@demo_part(order=45, name="media")
def demo_media(context: DemoContext) -> None:
    """One public post for each demo file, by a different teacher each."""
    authors = _authors(context)
    for author, item in zip(authors, DEMO_MEDIA, strict=False):
        upload = SimpleUploadedFile(item.filename, item.content())
        media = media_upload(
            owner=author,
            upload=upload,
            description=item.description,
            transcript=item.transcript,
            process_now=True,
        )
        if item.captions:
            captions = SimpleUploadedFile("captions.vtt", item.captions.encode())
            media = media_captions_set(owner=author, media=media, upload=captions, language="en")
        status_create(
            author=author,
            draft=PostText(text=item.text, language="en"),
            visibility=Visibility.PUBLIC,
            media_ids=[media.pk],
        )
    context.log(f"demo: {len(authors)} posts with images, audio, video and a worksheet")
