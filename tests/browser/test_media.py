"""Media in a real browser: a teacher adds an image in the composer on /home, watches it
upload and process, describes it, posts; the post shows it with that alt text and the
lightbox opens and closes with Escape. The upload list (a recording waiting for its job,
reordering with the keyboard, removing, four at most), posting without JavaScript, and a
post with every kind of media on a 390 px phone. Pages are checked with axe."""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from staffroom.accounts.models import User
from staffroom.media.models import MediaAttachment, MediaState, MediaType
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser

ALT = "Fraction strips on the classroom wall, halves to twelfths"

# Records each state an item of the composer's media list goes through (added to the page
# through the DevTools protocol, so the site's CSP stays on): what the teacher saw, in order,
# without the test racing the upload.
_RECORD_STATES = """
() => {
  window.mediaStates = [];
  const list = document.querySelector("[data-media-list]");
  const note = (item) => window.mediaStates.push({
    state: item.dataset.state,
    progress: item.querySelector("[data-media-progress]").checkVisibility(),
    processing: item.querySelector("[data-media-processing]").checkVisibility(),
  });
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "childList") {
        record.addedNodes.forEach((node) => node.dataset && note(node));
      } else if (record.target.matches("[data-media-item]")) {
        note(record.target);
      }
    }
  }).observe(list, {childList: true, subtree: true, attributeFilter: ["data-state"]});
}
"""


@pytest.fixture(autouse=True)
def _media_in_a_throwaway_folder(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def _teacher(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def _png(path: Path, size: tuple[int, int] = (900, 600)) -> Path:
    Image.new("RGB", size, (40, 110, 170)).save(path, "PNG")
    return path


def _image_loaded(page: Page, selector: str) -> None:
    page.wait_for_function(
        "(selector) => { const img = document.querySelector(selector);"
        " return img && img.complete && img.naturalWidth > 0; }",
        arg=selector,
    )


def test_a_teacher_posts_an_image_with_alt_text_and_opens_it_in_the_lightbox(
    page, sign_in, tmp_path
):
    ada = _teacher("ada", "Ada Lovelace")
    sign_in(ada)
    page.goto("/home")
    composer = page.locator("form.composer")
    composer.get_by_label("Your post").fill("Our fractions wall, finished today.")
    page.evaluate(_RECORD_STATES)

    composer.get_by_label("Add media").set_input_files(str(_png(tmp_path / "wall.png")))
    item = composer.locator("[data-media-item]")
    expect(item).to_have_attribute("data-state", "ready")
    expect(item.locator("img.media-thumb")).to_be_visible()
    _image_loaded(page, "[data-media-item] img.media-thumb")
    expect(item).to_contain_text("wall.png")
    expect(item.get_by_label("Uploading", exact=True)).to_have_count(1)  # a labelled bar
    states = page.evaluate("() => window.mediaStates")
    assert states[0] == {"state": "uploading", "progress": True, "processing": False}
    assert {"state": "processing", "progress": False, "processing": True} in states
    assert states[-1] == {"state": "ready", "progress": False, "processing": False}

    # The nudge: no alt text yet.
    warning = item.get_by_text("Add alt text so everyone can use this image.")
    expect(warning).to_be_visible()
    screenshot(page, "media-composer")
    check_accessibility(page, "media-composer")
    item.get_by_label("Alt text").fill(ALT)
    expect(warning).to_be_hidden()
    composer.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", name="Post by Ada Lovelace")).to_be_visible()
    status = Status.objects.get(account=ada.profile)
    media = status.media_attachments.get()
    assert media.description == ALT
    assert media.state == MediaState.READY
    image = page.locator(f"#post-{status.pk} .media-grid img")
    expect(image).to_have_attribute("alt", ALT)
    _image_loaded(page, f"#post-{status.pk} .media-grid img")
    screenshot(page, "media-post")
    check_accessibility(page, "media-post")

    # The lightbox: the full image and its description; Escape closes it, focus comes back.
    link = page.locator(f"#post-{status.pk} .media-grid a")
    link.click()
    dialog = page.locator("dialog[data-lightbox-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("img")).to_have_attribute("alt", ALT)
    expect(dialog.locator("figcaption")).to_have_text(ALT)
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    _image_loaded(page, "dialog[data-lightbox-dialog] img")
    screenshot(page, "media-lightbox")
    check_accessibility(page, "media-lightbox")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()

    # The edit page: the alt text is there to change.
    page.goto(f"/@ada/{status.pk}/edit")
    field = page.get_by_label("Alt text")
    expect(field).to_have_value(ALT)
    screenshot(page, "media-edit")
    check_accessibility(page, "media-edit")
    field.fill("Fraction strips, halves to twelfths, on the wall by the door")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your post is updated.")).to_be_visible()
    expect(image).to_have_attribute(
        "alt", "Fraction strips, halves to twelfths, on the wall by the door"
    )


PHONE = {"width": 390, "height": 844}


def _stored_png(root: Path, name: str, size: tuple[int, int]) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (230, 180, 60)).save(path, "PNG")
    return name


def _ready(owner, kind: str, **fields) -> MediaAttachment:
    return MediaAttachment.objects.create(
        account=owner, kind=kind, state=MediaState.READY, **fields
    )


def test_a_post_with_every_kind_of_media_on_a_phone(browser, live_server, settings):
    root = Path(settings.MEDIA_ROOT)
    ada = _teacher("ada", "Ada Lovelace").profile
    images = [
        _ready(
            ada,
            MediaType.IMAGE,
            file=_stored_png(root, f"attachments/i{n}.png", size),
            preview=_stored_png(root, f"previews/i{n}.png", size),
            description=f"Student work, example {n + 1}",
            meta={"small": {"width": size[0], "height": size[1]}},
        )
        for n, size in enumerate([(640, 480), (480, 640), (600, 600), (1200, 300)])
    ]
    audio = _ready(
        ada,
        MediaType.AUDIO,
        file="attachments/reflection.m4a",
        original_name="reflection.m4a",
        transcript="Today the exit tickets showed who needs halves again.",
        extra={"waveform": [0.2, 0.6, 1.0, 0.4, 0.1] * 12},
    )
    document = _ready(
        ada,
        MediaType.DOCUMENT,
        file="documents/x/Fractions-worksheet.pdf",
        preview=_stored_png(root, "previews/doc.png", (300, 400)),
        original_name="Fractions worksheet with a rather long file name for a small phone.pdf",
        extra={"format": "pdf", "pages": 3},
    )
    gallery = status_create(
        author=ada,
        draft=PostText(text="Four pieces of work from today"),
        media_ids=[media.pk for media in images],
    )
    resources = status_create(
        author=ada,
        draft=PostText(text="My reflection and the worksheet"),
        media_ids=[audio.pk, document.pk],
    )
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/@ada")
        grid = page.locator(f"#post-{gallery.pk} .media-grid")
        expect(grid.locator("img")).to_have_count(4)
        for number in range(4):
            _image_loaded(page, f"#post-{gallery.pk} .media-grid li:nth-child({number + 1}) img")
        post = page.locator(f"#post-{resources.pk}")
        expect(post.locator("audio")).to_have_attribute("preload", "none")
        expect(post.locator("svg.waveform")).to_have_attribute("aria-hidden", "true")
        post.get_by_text("Transcript").click()
        expect(post.get_by_text("who needs halves again")).to_be_visible()
        expect(post).to_contain_text("PDF · 3 pages")
        expect(post.get_by_role("link", name="Download")).to_have_attribute(
            "href", f"/media/{document.file}"
        )
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the page is {wide}px wider than a 390px phone"
        screenshot(page, "media-phone-profile")
        check_accessibility(page, "media-phone-profile")

        page.goto("/@ada/media")
        expect(page.locator(".media-tiles li")).to_have_count(6)
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the Media tab is {wide}px wider than a 390px phone"
        screenshot(page, "media-phone-tab")
        check_accessibility(page, "media-phone-tab")
    finally:
        context.close()


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * 8000)
    return path


def test_the_composers_list_waits_for_a_recording_reorders_removes_and_stops_at_four(
    page, sign_in, tmp_path
):
    ada = _teacher("ada", "Ada Lovelace")
    sign_in(ada)

    # A recording is processed by a job that no worker runs here: the server's answer to
    # the composer's polling is given by the test, once, as the job would leave it.
    def processed(route):
        if route.request.method != "GET":
            route.continue_()
            return
        media_id = route.request.url.rstrip("/").rsplit("/", 1)[-1]
        answer = {
            "id": media_id,
            "kind": "audio",
            "kind_label": "Audio",
            "state": "ready",
            "url": "/media/attachments/lesson.m4a",
            "preview_url": None,
            "filename": "lesson.wav",
            "description": "",
            "transcript": "",
            "error": None,
        }
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route("**/media-upload/*", processed)
    page.goto("/compose")
    page.evaluate(_RECORD_STATES)
    composer = page.locator("form.composer")
    picker = composer.get_by_label("Add media")
    picker.set_input_files([str(_wav(tmp_path / "lesson.wav")), str(_png(tmp_path / "a.png"))])
    items = composer.locator("[data-media-item]")
    expect(items).to_have_count(2)
    recording, image = items.nth(0), items.nth(1)
    expect(recording).to_have_attribute("data-state", "ready")
    expect(image).to_have_attribute("data-state", "ready")
    states = page.evaluate("() => window.mediaStates")
    assert {"state": "processing", "progress": False, "processing": True} in states
    assert recording.get_by_label("Alt text").count() == 0
    expect(recording.get_by_label("Transcript")).to_be_visible()
    nudge = recording.get_by_text("Add a transcript so everyone can follow this recording.")
    expect(nudge).to_be_visible()
    check_accessibility(page, "media-composer-two")
    recording.get_by_label("Transcript").fill("Halves, then quarters.")
    expect(nudge).to_be_hidden()

    # Reorder with the keyboard: the moved item keeps the focus.
    recording.get_by_role("button", name="Move later").focus()
    page.keyboard.press("Enter")
    expect(items.nth(0)).to_contain_text("a.png")
    expect(items.nth(1)).to_contain_text("lesson.wav")
    expect(items.nth(1).get_by_role("button", name="Move earlier")).to_be_focused()
    expect(composer.locator("[data-media-message]")).to_have_text("Moved to position 2 of 2.")

    # Remove the recording: its upload is deleted on the server.
    wav_id = items.nth(1).get_attribute("data-id")
    with page.expect_response(lambda response: response.url.endswith("/delete")) as deleted:
        items.nth(1).get_by_role("button", name="Remove").click()
    assert deleted.value.status == 200
    expect(items).to_have_count(1)
    assert not MediaAttachment.objects.filter(pk=wav_id).exists()

    # A file the server refuses says why, and can be removed.
    notes = tmp_path / "notes.txt"
    notes.write_text("not media")
    picker.set_input_files(str(notes))
    refused = items.nth(1)
    expect(refused).to_have_attribute("data-state", "failed")
    expect(refused.get_by_role("alert")).to_contain_text("not a kind we can share")
    refused.get_by_role("button", name="Remove").click()
    expect(items).to_have_count(1)

    # Four at most: of four more files, three are taken.
    more = [str(_png(tmp_path / f"more{n}.png", (300 + n, 200))) for n in range(4)]
    picker.set_input_files(more)
    expect(composer.locator("[data-media-message]")).to_have_text(
        "A post may carry at most 4 attachments."
    )
    expect(items).to_have_count(4)
    for number in range(4):
        expect(items.nth(number)).to_have_attribute("data-state", "ready")
        items.nth(number).get_by_label("Alt text").fill(f"Picture {number + 1}")
    order = [items.nth(number).get_attribute("data-id") for number in range(4)]
    composer.get_by_label("Your post").fill("Four pictures")
    composer.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Post by Ada Lovelace")).to_be_visible()
    status = Status.objects.get(account=ada.profile)
    attached = list(status.media_attachments.order_by("position"))
    assert [str(media.pk) for media in attached] == order
    assert [media.description for media in attached] == [f"Picture {n}" for n in range(1, 5)]


def test_without_javascript_the_files_go_with_the_post(
    browser, live_server, client, settings, tmp_path
):
    ada = _teacher("ada", "Ada Lovelace")
    client.force_login(ada, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    name = settings.SESSION_COOKIE_NAME
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto("/compose")
        page.get_by_label("Your post").fill("Sent the old way")
        page.get_by_label("Add media").set_input_files(str(_png(tmp_path / "plain.png")))
        page.get_by_label("Describe your media").fill(ALT)
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_role("heading", name="Post by Ada Lovelace")).to_be_visible()
        status = Status.objects.get(account=ada.profile)
        expect(page.locator(f"#post-{status.pk} .media-grid img")).to_have_attribute("alt", ALT)
        # Without script the image is a plain link to the full file.
        link = page.locator(f"#post-{status.pk} .media-grid a")
        expect(link).to_have_attribute("href", re.compile(r"^/media/attachments/"))
    finally:
        context.close()
