"""The posts part of the demo community: what the demo educators post, and what they do
with each other's posts.

Drawn in memory from the demo's seeded generator over the graph the graph part wrote,
then written with a few bulk INSERTs. Each educator shares resources (with links), asks
questions, describes practices (the ones their profile lists, when it lists any) and
reflects, about their own subjects and grade band, with the chat hashtags teachers use
(#edchat, #mathchat, #scichat...). Most posts are public; some unlisted, followers-only,
connections-only or direct (between connected colleagues). Colleagues who follow each
other reply in threads of two to six posts; followers favourite, bookmark and reshare
(public and unlisted posts only).

Privacy holds as in the services: everyone who replies to, favourites, reshares or
bookmarks a post is a follower of its author (so can see it, and no block lies between
them: the graph never has a follow across a block); connections-only and direct posts go
only to accepted connections. Content is rendered exactly as `status_create` renders it,
and the counters and `thread_id` match the rows.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import DateTimeField
from django.utils import timezone

from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.hashtags import normalize_tag
from staffroom.core.html import LinkTargets, counted_length, render_markdown, text_entities
from staffroom.core.ids import snowflake_for
from staffroom.core.pln import Modality
from staffroom.graph.models import Connection, ConnectionState, Follow
from staffroom.posts.counters import counts_on_parent
from staffroom.posts.models import Bookmark, Favourite, Mention, Status, Tag, Visibility
from staffroom.posts.services import tag_url
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from staffroom.profiles.uris import instance_base_url

BATCH = 500
HISTORY_DAYS = 21
PARENT = {term.slug: term.parent or term.slug for term in taxonomy.SUBJECTS}
# Per subject family: the chat hashtag, what they talk about, and where resources live.
FAMILY_TALK: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "math": ("mathchat", ("number talks", "fraction strips", "proportional reasoning",
             "error analysis", "vertical whiteboards", "spiral review"),
             ("https://www.desmos.com/calculator", "https://www.youcubed.org/tasks/")),
    "science": ("scichat", ("phenomena-based units", "claim-evidence-reasoning", "lab safety",
                "density columns", "citizen science", "modeling ecosystems"),
                ("https://phet.colorado.edu/en/simulations", "https://www.nasa.gov/stem/")),
    "ela": ("ELAchat", ("book clubs", "writing conferences", "mentor texts", "annotation",
            "independent reading", "poetry circles"),
            ("https://www.readwritethink.org/classroom-resources", "https://www.gutenberg.org/")),
    "social-studies": ("sschat", ("primary sources", "document-based questions", "mock trials",
                       "local history projects", "civil discourse", "map skills"),
                       ("https://www.loc.gov/programs/teachers/", "https://www.icivics.org/")),
    "world-languages": ("langchat", ("comprehensible input", "storytelling", "pen pals",
                        "authentic resources"), ("https://www.actfl.org/resources",)),
    "arts": ("arted", ("critique protocols", "sketchbooks", "ensemble rehearsals",
             "portfolios"), ("https://www.getty.edu/education/teachers/",)),
    "computer-science": ("csforall", ("pair programming", "unplugged activities",
                         "debugging journals", "Scratch projects"), ("https://code.org/educate",)),
    "esl": ("ellchat", ("sentence frames", "newcomer routines", "translanguaging"),
            ("https://www.colorincolorado.org/",)),
    "": ("edchat", ("exit tickets", "retrieval practice", "feedback that sticks",
         "classroom routines", "student-led conferences", "project-based learning"),
         ("https://www.edutopia.org/", "https://www.khanacademy.org/")),
}  # fmt: skip
GENERAL_TAGS = ("edchat", "edchat", "edtech", "pblchat", "satchat", "teachertwitter")
PROPER_WORDS = {"English"}  # practice labels that keep their capital in a sentence
ROLE_TAGS = {"coach": "educoach", "librarian": "tlchat", "pre_service": "ntchat"}
BAND_WORDS = {"prek": "pre-K", "k-2": "K-2", "3-5": "upper elementary", "6-8": "middle school",
              "9-12": "high school"}  # fmt: skip
OPENERS = {
    "resource": ("Sharing a {topic} resource that worked with my {band} students: {url}",
                 "Bookmark this for {topic}: {url} My {band} classes loved it.",
                 "Free and classroom-ready, for anyone teaching {topic}: {url}"),
    "question": ("Question for {band} teachers: how do you run {topic} without losing "
                 "the last ten minutes?", "What is your favourite first week for {topic}?",
                 "Help! My {band} students stall on {topic}. What do you try first?"),
    "practice": ("Tried {topic} today with my {band} class. The **quiet** students led it.",
                 "Small routine, big difference: five minutes of {topic} every Friday.",
                 "Our team started {topic} this term:\n\n* one goal\n* one check-in\n"
                 "* one shared rubric"),
    "reflection": ("Year {years} of teaching and {topic} still teaches me something every "
                   "week.", "Note to self after a long day: *done is better than perfect*.",
                   "Three things that helped my {band} students this month, {topic} first."),
}  # fmt: skip
REPLIES = ("Thanks for sharing, trying this next week!",
           "We do something similar with {topic}. Happy to swap materials.",
           "How long did it take your students to get used to it?",
           "Love this. Saving it for our PLC meeting.",
           "Did you adapt it for multilingual learners?",
           "Same here. What worked for us was starting smaller.",
           "Great point. I'd add a quick exit ticket at the end.")  # fmt: skip
DIRECT = ("Can I borrow your {topic} slides for Thursday?",
          "Thanks for the chat today. Sending the rubric tonight.",
          "Are you going to the district PD on {topic}?")  # fmt: skip
# Direct messages are drawn apart (`_direct`), to connections only.
VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.FOLLOWERS,
                Visibility.CONNECTIONS)  # fmt: skip
# Educators with accepted connections sometimes write to them alone; the others cannot.
WEIGHTS_CONNECTED = (70, 11, 11, 8)
WEIGHTS_UNCONNECTED = (76, 12, 12, 0)


@dataclass
class Author:
    profile: Profile
    family: str  # the subject family they post about ("" for general)
    band: str
    tags: list[str]
    followers: list[int]
    mutuals: list[int]
    connections: list[int]
    practices: list[str] = field(default_factory=list)  # the listed ones, as written


@dataclass
class Draft:
    status: Status
    mentioned: list[Profile] = field(default_factory=list)


@dataclass
class Made:
    drafts: list[Draft] = field(default_factory=list)
    favourites: list[Favourite] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    sequence: int = 0

    def next_id(self, when: datetime) -> int:
        self.sequence += 1
        return snowflake_for(when, sequence=self.sequence & 0xFFFF)


def _authors(profiles: list[Profile]) -> dict[int, Author]:
    """Each educator in good standing with what they post about and who reads them."""
    standing = set(Profile.objects.in_good_standing().values_list("pk", flat=True))
    people = [p for p in profiles if p.pk in standing]
    pks = {p.pk for p in people}
    terms: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = ProfileTerm.objects.filter(
        profile__in=people, kind__in=[TermKind.SUBJECT, TermKind.GRADE, TermKind.PRACTICE]
    )
    for profile_id, kind, value in rows.order_by("id").values_list("profile_id", "kind", "value"):
        terms[profile_id][kind].append(value)
    follows = set(Follow.objects.values_list("follower_id", "followee_id"))
    followers: dict[int, list[int]] = defaultdict(list)
    for follower, followee in sorted(follows):
        if follower in pks and followee in pks:
            followers[followee].append(follower)
    connections: dict[int, list[int]] = defaultdict(list)
    accepted = Connection.objects.filter(state=ConnectionState.ACCEPTED)
    for a, b in sorted(accepted.values_list("requester_id", "addressee_id")):
        if a in pks and b in pks:
            connections[a].append(b)
            connections[b].append(a)
    authors = {}
    for profile in people:
        families = [PARENT.get(s, s) for s in terms[profile.pk][TermKind.SUBJECT]]
        family = next((f for f in families if f in FAMILY_TALK), "")
        bands = taxonomy.bands_of(terms[profile.pk][TermKind.GRADE])
        tags = [FAMILY_TALK[family][0]]
        if profile.role in ROLE_TAGS:
            tags.append(ROLE_TAGS[profile.role])
        authors[profile.pk] = Author(
            profile=profile,
            family=family,
            band=BAND_WORDS.get(bands[0], "") if bands else "",
            tags=tags,
            followers=followers[profile.pk],
            mutuals=[pk for pk in followers[profile.pk] if (profile.pk, pk) in follows],
            connections=sorted(connections[profile.pk]),
            practices=[_practice_words(slug) for slug in terms[profile.pk][TermKind.PRACTICE]],
        )
    return authors


def _practice_words(slug: str) -> str:
    """A practice as a post names it: "retrieval practice", "English learners"."""
    label = taxonomy.label_of(taxonomy.PRACTICES, slug)
    return label if label.split()[0] in PROPER_WORDS else label[:1].lower() + label[1:]


def _words(rng: random.Random, author: Author) -> dict[str, object]:
    _tag, topics, urls = FAMILY_TALK[author.family]
    return {
        "topic": rng.choice(topics),
        "band": author.band,  # empty without a grade band: the double space goes below
        "url": rng.choice(urls),
        "years": author.profile.experience_years or 1,
    }


def _post_text(rng: random.Random, author: Author) -> str:
    kind = rng.choices(("resource", "question", "practice", "reflection"), (3, 3, 3, 2))[0]
    words = _words(rng, author)
    if kind == "practice" and author.practices:  # what they listed is what they try
        words["topic"] = rng.choice(author.practices)
    text = rng.choice(OPENERS[kind]).format(**words)
    text = re.sub(r" {2,}", " ", text)
    tags = [rng.choice(author.tags)]
    if rng.random() < 0.6:
        tags.append(rng.choice(GENERAL_TAGS))
    return text + "\n\n" + " ".join(f"#{tag}" for tag in dict.fromkeys(tags))


def _status(
    made: Made, author: Profile, text: str, when: datetime, visibility: str, **extra: object
) -> Draft:
    status_id = made.next_id(when)
    status = Status(
        id=status_id,
        account=author,
        uri=f"{author.uri}/statuses/{status_id}",
        text=text,
        language="en",
        visibility=visibility,
        thread_id=status_id,
        created_at=when,
        **extra,
    )
    draft = Draft(status)
    made.drafts.append(draft)
    return draft


def _reply(made: Made, parent: Draft, replier: Author, text: str, when: datetime) -> Draft:
    """A reply by `replier` (who can see `parent`), addressed to the parent's author."""
    to = parent.status.account
    if to.pk != replier.profile.pk:
        text = f"@{to.handle} {text}"
    draft = _status(
        made,
        replier.profile,
        text,
        when,
        parent.status.visibility,
        in_reply_to=parent.status,
        in_reply_to_account=to,
    )
    draft.status.thread_id = parent.status.thread_id
    if to.pk != replier.profile.pk:
        draft.mentioned.append(to)
    if counts_on_parent(visibility=parent.status.visibility):
        parent.status.replies_count += 1
    return draft


def _later(rng: random.Random, when: datetime, now: datetime) -> datetime:
    """A while after `when`, and always before `now` (by at most half the time left)."""
    return when + min(timedelta(minutes=rng.uniform(3, 600)), (now - when) / 2)


def _visibility(rng: random.Random, author: Author) -> str:
    weights = WEIGHTS_CONNECTED if author.connections else WEIGHTS_UNCONNECTED
    return rng.choices(VISIBILITIES, weights)[0]


def _thread(
    rng: random.Random, made: Made, root: Draft, a: Author, b: Author, now: datetime
) -> None:
    """One to five replies, `b` and `a` taking turns; both follow each other (or are
    connected), so each sees every post of the other at this visibility."""
    parent, when = root, root.status.created_at
    words = _words(rng, a)
    for turn in range(rng.randint(1, 5)):
        replier = b if turn % 2 == 0 else a
        when = _later(rng, when, now)
        pool = DIRECT if root.status.visibility == Visibility.DIRECT else REPLIES
        parent = _reply(made, parent, replier, rng.choice(pool).format(**words), when)


def _direct(rng: random.Random, made: Made, author: Author, other: Author, now: datetime) -> None:
    """A direct message to a connection, often answered."""
    when = now - timedelta(minutes=rng.uniform(30, HISTORY_DAYS * 24 * 60))
    text = f"@{other.profile.handle} " + rng.choice(DIRECT).format(**_words(rng, author))
    root = _status(made, author.profile, text, when, Visibility.DIRECT)
    root.mentioned.append(other.profile)
    if rng.random() < 0.6:
        _thread(rng, made, root, author, other, now)


def _posts_of(
    rng: random.Random, made: Made, author: Author, authors: dict[int, Author], now: datetime
) -> None:
    for _post in range(min(12, int(rng.lognormvariate(1.1, 0.7)))):
        when = now - timedelta(minutes=rng.uniform(30, HISTORY_DAYS * 24 * 60))
        visibility = _visibility(rng, author)
        root = _status(made, author.profile, _post_text(rng, author), when, visibility)
        if rng.random() < 0.05:
            root.status.spoiler_text = "Venting about report cards"
            root.status.sensitive = True
        # Connections-only threads stay between connections; the others between mutuals.
        partners = author.connections if visibility == Visibility.CONNECTIONS else author.mutuals
        if partners and rng.random() < 0.4:
            _thread(rng, made, root, author, authors[rng.choice(partners)], now)
    if author.connections and rng.random() < 0.6:
        _direct(rng, made, author, authors[rng.choice(author.connections)], now)


def _marks(rng: random.Random, made: Made, authors: dict[int, Author], now: datetime) -> None:
    """Favourites, bookmarks and reshares, all by followers of the post's author; reshares
    of public and unlisted posts only."""
    marked = [
        d
        for d in made.drafts
        if d.status.visibility not in (Visibility.DIRECT, Visibility.CONNECTIONS)
    ]
    for draft in marked:
        original = draft.status
        followers = authors[original.account_id].followers
        fans = rng.sample(followers, k=min(len(followers), int(rng.paretovariate(1.3)) - 1))
        for pk in fans:
            made.favourites.append(Favourite(account=authors[pk].profile, status=original))
            original.favourites_count += 1
            if rng.random() < 0.25:
                made.bookmarks.append(Bookmark(account=authors[pk].profile, status=original))
        if original.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
            continue
        for pk in fans[: int(len(fans) * rng.uniform(0, 0.5))]:
            sharer = authors[pk].profile
            when = _later(rng, original.created_at, now)
            share_id = made.next_id(when)
            made.drafts.append(
                Draft(
                    Status(
                        id=share_id,
                        account=sharer,
                        uri=f"{sharer.uri}/statuses/{share_id}/activity",
                        visibility=Visibility.PUBLIC,
                        modality=original.modality,
                        reblog_of=original,
                        thread_id=share_id,
                        created_at=when,
                    )
                )
            )
            original.reblogs_count += 1


@dataclass(frozen=True)
class Rendered:
    content: str
    modality: str
    tags: list[str]


def _rendered(text: str, mentioned: tuple[Profile, ...]) -> Rendered:
    targets = LinkTargets(
        mentions={p.handle.lower(): f"{instance_base_url()}/@{p.handle}" for p in mentioned},
        tag_url=tag_url,
    )
    linked = counted_length(text, per_url=0) < len(text)
    return Rendered(
        content=render_markdown(text, links=targets),
        modality=Modality.LINK if linked else Modality.TEXT,
        tags=text_entities(text).tags,
    )


def _render(made: Made) -> dict[int, list[str]]:
    """Content, modality and hashtags as `status_create` makes them (the same text with
    the same mentions is rendered once); returns each status's tag names."""
    cache: dict[tuple[str, tuple[Profile, ...]], Rendered] = {}
    tags: dict[int, list[str]] = {}
    for draft in made.drafts:
        status = draft.status
        if status.reblog_of is not None:
            continue
        key = (status.text, tuple(draft.mentioned))
        if key not in cache:
            cache[key] = _rendered(*key)
        status.content, status.modality = cache[key].content, cache[key].modality
        tags[status.pk] = cache[key].tags
    for draft in made.drafts:
        if draft.status.reblog_of is not None:
            draft.status.modality = draft.status.reblog_of.modality
    return tags


def _tag_rows(names: dict[int, list[str]]) -> list[Any]:
    existing = dict(Tag.objects.values_list("normalized", "pk"))
    new: dict[str, str] = {}
    for tag_names in names.values():
        for name in tag_names:
            if normalize_tag(name) not in existing:
                new.setdefault(normalize_tag(name), name)
    created = Tag.objects.bulk_create([Tag(name=name, normalized=key) for key, name in new.items()])
    existing |= {tag.normalized: tag.pk for tag in created}
    through = Status.tags.through
    return [
        through(status_id=status_id, tag_id=existing[normalize_tag(name)])
        for status_id, tag_names in names.items()
        for name in tag_names
    ]


def _insert(made: Made, tag_names: dict[int, list[str]]) -> None:
    statuses = sorted((d.status for d in made.drafts), key=lambda s: s.pk)
    # `created_at` is auto_now_add, which an INSERT would set to now: switched off for this
    # one INSERT so the posts keep their times spread over the history (a bulk_update
    # afterwards took as long as the INSERT itself).
    created_at = Status._meta.get_field("created_at")
    if not isinstance(created_at, DateTimeField):
        raise TypeError("Status.created_at is not a DateTimeField")
    created_at.auto_now_add = False
    try:
        Status.objects.bulk_create(statuses, batch_size=BATCH)
    finally:
        created_at.auto_now_add = True
    Mention.objects.bulk_create(
        [Mention(status=d.status, profile=p) for d in made.drafts for p in d.mentioned],
        batch_size=BATCH,
    )
    Status.tags.through.objects.bulk_create(_tag_rows(tag_names), batch_size=BATCH)
    Favourite.objects.bulk_create(made.favourites, batch_size=BATCH)
    Bookmark.objects.bulk_create(made.bookmarks, batch_size=BATCH)


@demo_part(order=40, name="posts")
def demo_posts(context: DemoContext) -> None:
    """Posts, threads, favourites, reshares and bookmarks among the demo educators (see
    the module docstring), drawn from `context.rng` and bulk-inserted."""
    rng = context.rng
    authors = _authors(context.get("profiles"))
    made = Made()
    now = timezone.now()
    for author in authors.values():
        _posts_of(rng, made, author, authors, now)
    _marks(rng, made, authors, now)
    tag_names = _render(made)
    _insert(made, tag_names)
    context.bulk_loaded(Status, Favourite, Bookmark)
    context.add("statuses", [draft.status for draft in made.drafts])
    replies = sum(d.status.in_reply_to is not None for d in made.drafts)
    context.log(
        f"demo: {len(made.drafts)} posts ({replies} replies), {len(made.favourites)} "
        f"favourites, {len(made.bookmarks)} bookmarks"
    )
