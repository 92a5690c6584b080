"""Settings → Blocks (accounts and servers) and Settings → Mutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import DomainError
from staffroom.graph import selectors, services
from staffroom.graph.forms import DomainBlockForm
from staffroom.graph.views._common import (
    _people,
)
from staffroom.profiles.selectors import own_profile
from staffroom.web.paging import paged

# --- Settings: blocks and mutes ------------------------------------------------------------


DOMAIN_BLOCKS_SHOWN = 500


def _blocks_page(
    request: HttpRequest, form: DomainBlockForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = own_profile(request)
    page = paged(request, lambda **kw: selectors.blocks_of(viewer=viewer, **kw), lambda row: row.pk)
    people = _people(None, [row.blocked for row in page.rows])
    context = {
        "sections": settings_sections(),
        "current_section": "blocks",
        "page": page,
        "people": people,
        "next": request.get_full_path(),
        "domain_blocks": selectors.domain_blocks_of(viewer=viewer, limit=DOMAIN_BLOCKS_SHOWN),
        "domain_form": form or DomainBlockForm(),
    }
    return render(request, "graph/blocks.html", context, status=status)


@login_required
@require_GET
def blocks_list(request: HttpRequest) -> HttpResponse:
    """`/settings/blocks`: whom the teacher blocks, each with Unblock, then the servers they
    block (Blocked domains) with a form to add one."""
    return _blocks_page(request)


@login_required
@require_POST
def domain_block_add(request: HttpRequest) -> HttpResponse:
    """`POST /settings/blocks/domains`: block a server; the page again with the error (422)
    for an invalid domain or this server's own."""
    form = DomainBlockForm(request.POST)
    if not form.is_valid():
        return _blocks_page(request, form, status=422)
    try:
        block = services.domain_block_create(
            actor=own_profile(request), domain=form.cleaned_data["domain"]
        )
    except DomainError as error:
        form.add_error("domain", error.message.removeprefix("Validation failed: "))
        return _blocks_page(request, form, status=error.status_code)
    messages.success(request, _("You block %(domain)s now.") % {"domain": block.domain})
    return redirect("graph:blocks-list")


@login_required
@require_POST
def domain_block_remove(request: HttpRequest) -> HttpResponse:
    """`POST /settings/blocks/domains/remove`: unblock a server (`domain`)."""
    domain = request.POST.get("domain", "")
    try:
        removed = services.domain_block_delete(actor=own_profile(request), domain=domain)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("graph:blocks-list")
    if removed:
        messages.success(request, _("You no longer block %(domain)s.") % {"domain": domain})
    return redirect("graph:blocks-list")


@login_required
@require_GET
def mutes_list(request: HttpRequest) -> HttpResponse:
    """`/settings/mutes`: whom the teacher mutes now, until when, each with Unmute."""
    viewer = own_profile(request)
    page = paged(request, lambda **kw: selectors.mutes_of(viewer=viewer, **kw), lambda row: row.pk)
    people = [
        {**card, "mute": row}
        for card, row in zip(
            _people(None, [row.muted for row in page.rows]), page.rows, strict=True
        )
    ]
    context = {
        "sections": settings_sections(),
        "current_section": "mutes",
        "page": page,
        "people": people,
        "next": request.get_full_path(),
    }
    return render(request, "graph/mutes.html", context)
