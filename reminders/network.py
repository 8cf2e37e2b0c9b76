"""The network groups' new questions and answers in the day's one email (issue 22).

The planner notices posts by others in a person's network groups (as a member, as the asker
of a question in a group they have since left, or as a coach the asker included) and plans
one "natverk" reminder for the next morning's email. The email says how many new questions
and answers there are and links to them, never what anyone wrote. The merge, pause and
preference rules are the planner's own: a person can turn the kind off ("natverk"), and a
pause skips it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max
from django.db.models.functions import Coalesce

from accounts.roles import Role
from network.models import Answer, Question
from programme.models import NetworkGroup
from reminders.models import Reminder
from reminders.schedule import local_date, roll_forward, send_time

Kind = Reminder.Kind

# Posts older than this are not news: a first email never reports weeks of history.
LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class Post:
    group_id: int
    question_id: int
    asker_id: int | None
    includes_coach: bool
    author_id: int | None
    created_at: datetime
    is_question: bool


@dataclass
class News:
    """What is new to one person: the posts by others they may read."""

    posts: list[Post] = field(default_factory=list)
    coached: set[int] = field(default_factory=set)  # groups they read as the coach
    asked_only: set[int] = field(default_factory=set)  # groups they left, as an asker

    def since(self, moment: datetime) -> "News":
        posts = [p for p in self.posts if p.created_at > moment]
        return News(posts, self.coached, self.asked_only)

    @property
    def latest(self) -> datetime:
        return max(p.created_at for p in self.posts)

    @property
    def questions(self) -> int:
        return sum(1 for p in self.posts if p.is_question)

    @property
    def answers(self) -> int:
        return sum(1 for p in self.posts if not p.is_question)

    @property
    def groups(self) -> list[int]:
        return sorted({p.group_id for p in self.posts})


def _posts(since: datetime, until: datetime) -> list[Post]:
    """Every question and answer written in (since, until], in questions not deleted."""
    posts = [
        Post(q.group_id, q.pk, q.author_id, q.includes_coach, q.author_id, q.created_at, True)
        for q in Question.objects.filter(
            created_at__gt=since, created_at__lte=until, deleted_at__isnull=True
        ).only("group_id", "author_id", "includes_coach", "created_at")
    ]
    for answer in Answer.objects.filter(
        created_at__gt=since, created_at__lte=until, question__deleted_at__isnull=True
    ).select_related("question"):
        question = answer.question
        posts.append(
            Post(
                question.group_id,
                question.pk,
                question.author_id,
                question.includes_coach,
                answer.author_id,
                answer.created_at,
                False,
            )
        )
    return posts


def _readers(group_ids: set[int]) -> tuple[dict, dict]:
    """Per group: its current members (active managers, published rounds) and its coaches."""
    members, coaches = defaultdict(set), defaultdict(set)
    if not group_ids:
        return members, coaches
    for group_id, user_id in (
        NetworkGroup.members.through.objects.filter(
            networkgroup_id__in=group_ids,
            networkgroup__round__published_at__isnull=False,
            user__is_active=True,
            user__groups__name=Role.CHEF,
        )
        .values_list("networkgroup_id", "user_id")
        .distinct()
    ):
        members[group_id].add(user_id)
    for group_id, user_id in (
        NetworkGroup.objects.filter(
            pk__in=group_ids,
            round__published_at__isnull=False,
            round__cohorts__coaches__is_active=True,
        )
        .values_list("pk", "round__cohorts__coaches")
        .distinct()
    ):
        coaches[group_id].add(user_id)
    return members, coaches


def news_by_person(since: datetime, until: datetime) -> dict[int, News]:
    """Per person: the posts by others in (since, until] that they may read. A fixed number
    of queries, however many groups and posts."""
    posts = _posts(since, until)
    members, coaches = _readers({p.group_id for p in posts})
    news: dict[int, News] = defaultdict(News)
    for post in posts:
        readers = set(members[post.group_id])
        if post.asker_id is not None:
            readers.add(post.asker_id)  # the asker follows their own thread, member or not
        coach_readers = coaches[post.group_id] - readers if post.includes_coach else set()
        for user_id in (readers | coach_readers) - {post.author_id}:
            news[user_id].posts.append(post)
            if user_id in coach_readers:
                news[user_id].coached.add(post.group_id)
            elif user_id not in members[post.group_id]:
                news[user_id].asked_only.add(post.group_id)
    return dict(news)


def due_at(now: datetime) -> datetime:
    """The next morning email: today's if its time has not come yet, else the next send
    day's. Posts are gathered into it, never sent on their own."""
    morning = send_time(roll_forward(local_date(now)))
    if morning > now:
        return morning
    return send_time(roll_forward(local_date(now) + timedelta(days=1)))


def plan_network_activity(now: datetime) -> int:
    """One "natverk" reminder for the next morning's email, for each person with posts by
    others newer than their last network reminder; none while one is already waiting."""
    news = news_by_person(now - LOOKBACK, now)
    if not news:
        return 0
    covered = dict(
        Reminder.objects.filter(kind=Kind.NETWORK, user_id__in=news)
        .values("user_id")
        .annotate(until=Max(Coalesce("sent_at", "created_at")))
        .values_list("user_id", "until")
    )
    waiting = set(
        Reminder.objects.filter(
            kind=Kind.NETWORK, user_id__in=news, status=Reminder.Status.PLANNED
        ).values_list("user_id", flat=True)
    )
    when = due_at(now)
    rows = []
    for user_id, person in news.items():
        if user_id in waiting or (user_id in covered and person.latest <= covered[user_id]):
            continue
        rows.append(
            Reminder(
                # Per person and newest post: two planners at once add one row.
                key=f"natverk:{user_id}:{person.latest.timestamp():.6f}",
                user_id=user_id,
                kind=Kind.NETWORK,
                base_on=local_date(when),
                due_at=when,
                created_at=now,
            )
        )
    return len(Reminder.objects.bulk_create(rows, ignore_conflicts=True))


def email_items(reminders: list[Reminder], now: datetime, url) -> dict[int, dict]:
    """Per network reminder id: what its email says (how many new questions and answers, and
    where), counted from the person's previous network email. The same few queries for a
    whole batch."""
    if not reminders:
        return {}
    users = {r.user_id for r in reminders}
    previous = dict(
        Reminder.objects.filter(kind=Kind.NETWORK, user_id__in=users, sent_at__isnull=False)
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    starts = {r.user_id: previous.get(r.user_id, r.created_at - LOOKBACK) for r in reminders}
    news = news_by_person(min(starts.values()), now)
    items: dict[int, dict] = {}
    for reminder in reminders:
        person = news.get(reminder.user_id, News()).since(starts[reminder.user_id])
        if not person.posts:
            # Deleted since it was planned: the email says only that something happened.
            items[reminder.pk] = {
                "questions": 0,
                "answers": 0,
                "network_url": url("programme:my-group"),
            }
            continue
        groups = person.groups
        if set(groups) <= person.coached:
            link = url("network:coach-questions")
        elif len(groups) == 1 and not person.asked_only:
            link = url("network:question-list", groups[0])
        else:
            link = url("programme:my-group")
        items[reminder.pk] = {
            "questions": person.questions,
            "answers": person.answers,
            "network_url": link,
        }
    return items
